// Perfloop's workload profiler for Node: loaded into every Node process the user's command starts (NODE_OPTIONS
// --require; Node refuses --cpu-prof there), it runs V8's sampling CPU profiler on the main thread from start-up and
// writes the profile to PERFLOOP_PROFILE_DIR at exit. profilers/javascript/hotspots.ts reads and ranks it. In a capture
// run (PERFLOOP_JS_CAPTURE), it records the arguments of the hot functions instead (capture.cjs).
'use strict';
const outDir = process.env.PERFLOOP_PROFILE_DIR;
const captureTargets = process.env.PERFLOOP_JS_CAPTURE;
if (captureTargets && process.env.PERFLOOP_JS_CAPTURE_DIR) {
  try {
    require('./capture.cjs').start(JSON.parse(captureTargets), process.env.PERFLOOP_JS_CAPTURE_DIR);
  } catch (error) {
    process.stderr.write(`perfloop: could not capture inputs in process ${process.pid}: ${error}\n`);
  }
} else if (outDir) {
  const inspector = require('node:inspector');
  const fs = require('node:fs');
  const path = require('node:path');
  const session = new inspector.Session();
  try {
    session.connect();
    session.post('Profiler.enable');
    // 250 µs: V8's default is 1 ms; a finer interval resolves short workloads without much more overhead.
    session.post('Profiler.setSamplingInterval', { interval: 250 });
    session.post('Profiler.start');
    // A session on the main thread answers at once, so the profile is written before the process is gone.
    process.on('exit', () => {
      session.post('Profiler.stop', (error, result) => {
        if (error || !result) return;
        const target = path.join(outDir, `node-${process.pid}.cpuprofile`);
        try {
          fs.writeFileSync(`${target}.part`, JSON.stringify(result.profile));
          fs.renameSync(`${target}.part`, target);
        } catch (writeError) {
          process.stderr.write(`perfloop: could not write the profile of process ${process.pid}: ${writeError}\n`);
        }
      });
    });
  } catch (error) {
    process.stderr.write(`perfloop: could not profile process ${process.pid}: ${error}\n`);
  }
}
