// Preloaded into the Prisma 6 CLI (engine: 'js'): its Wasm schema engine arms 10 s timers that keep
// the process alive after the command is done; unref them so each command exits at once.
const original = global.setTimeout;
global.setTimeout = function (fn, ms, ...args) {
  const timer = original.call(this, fn, ms, ...args);
  if (ms >= 10000 && timer && typeof timer.unref === 'function') timer.unref();
  return timer;
};
