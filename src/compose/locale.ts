/**
 * Words the page itself prints, in the edition's language: dates in folios, page labels,
 * bylines at the end of a story, jump lines. Chinese is the default for zh*, English otherwise.
 */
export interface Locale {
  isCjk: boolean;
  date(iso: string): string;
  pageLabel(n: number | string): string;
  /** A page in bookmarks and the EPUB's navigation: 第1版 特别报道 / Page 1 · News */
  pageTitle(n: number, section?: string): string;
  /** A byline set at the end of the text: （本报记者 沈吟） / — Jane Doe */
  bylineEnd(byline: string): string;
  continuedOn(page: number | string): string;
  continuedFrom(page: number | string): string;
}

const ZH_WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

export function localeFor(language: string): Locale {
  const cjk = /^(zh|ja|ko)\b/i.test(language);
  if (cjk) {
    return {
      isCjk: true,
      date(iso) {
        const d = utc(iso);
        return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${ZH_WEEKDAYS[d.getUTCDay()]}`;
      },
      pageLabel: (n) => `第${n}版`,
      pageTitle: (n, section) => [`第${n}版`, section].filter(Boolean).join(' '),
      bylineEnd: (b) => `（${b}）`,
      continuedOn: (p) => `（转第${p}版）`,
      continuedFrom: (p) => `（接第${p}版）`,
    };
  }
  return {
    isCjk: false,
    date: (iso) =>
      new Intl.DateTimeFormat(language, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(utc(iso)),
    pageLabel: (n) => `Page ${n}`,
    pageTitle: (n, section) => [`Page ${n}`, section].filter(Boolean).join(' · '),
    bylineEnd: (b) => `— ${b}`,
    continuedOn: (p) => `Continued on page ${p}`,
    continuedFrom: (p) => `Continued from page ${p}`,
  };
}

function utc(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}
