import { edition, PLAN, stories } from '../tests/helpers/frontpage.ts';
const lang = (process.argv[2] ?? 'zh-CN') as 'zh-CN' | 'en';
console.log(edition(lang, stories(lang), PLAN));
