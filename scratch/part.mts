import { partition } from '../src/paginate/columns.ts';
console.log(partition(Array(50).fill(22.9358), 7, 183));
console.log(partition(Array(49).fill(22.9358), 7, 183));
