/* global process */
// Loaded with NODE_OPTIONS=--require (which refuses --cpu-prof): profiles the process like --cpu-prof
// and writes a .cpuprofile into AEGIS_CPU_PROF_DIR when it exits. Same-thread inspector sessions answer
// synchronously, so the profile can be taken in the 'exit' handler.
const fs = require('node:fs');
const path = require('node:path');
const inspector = require('node:inspector');

const dir = process.env.AEGIS_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (err) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
