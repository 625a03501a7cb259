/** A separate process that takes a data directory's lock and holds it until killed (run with tsx). */
import { acquireInstanceLock } from '../../core/storage/instance-lock.js';

await acquireInstanceLock(process.argv[2]!);
process.stdout.write('locked\n');
setInterval(() => {}, 1_000);
