// node --import ./tests/farm/no-redis.mjs …: BullMQ and ioredis cannot be loaded in this process,
// neither as ES modules nor through require. For the test that paiban build never needs them.
import Module, { register } from 'node:module';

const BLOCKED = /^(bullmq|ioredis)(\/|$)/;
register(
  `data:text/javascript,${encodeURIComponent(`export async function resolve(spec, ctx, next) { if (${BLOCKED}.test(spec)) throw new Error('blocked for the test: ' + spec); return next(spec, ctx); }`)}`,
  import.meta.url,
);
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (BLOCKED.test(request)) throw new Error(`blocked for the test: ${request}`);
  return resolveFilename.call(this, request, ...rest);
};
