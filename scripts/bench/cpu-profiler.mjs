// Preloaded into a bench's processes (NODE_OPTIONS=--import, since Node 20 refuses --cpu-prof there):
// samples the process's CPU from its start and, on SIGUSR2, writes what it sampled so far as
// PATHWAY_CPU_PROF_DIR/CPU.<pid>.cpuprofile (the format of `node --cpu-prof`), then samples anew.
// A signal rather than exit: a stopping stack may kill a process that drains too slowly.
import { Session } from 'node:inspector';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.PATHWAY_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  const start = () => {
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: Number(process.env.PATHWAY_CPU_PROF_INTERVAL_US ?? 500) });
    session.post('Profiler.start');
  };
  start();
  process.on('SIGUSR2', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) {
        const file = path.join(dir, `CPU.${process.pid}.cpuprofile`);
        // Written whole, then renamed: the bench waits for the final name.
        writeFileSync(`${file}.part`, JSON.stringify(result.profile));
        renameSync(`${file}.part`, file);
      }
      start();
    });
  });
}
