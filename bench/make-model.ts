/** `npm run bench:model`: makes the benchmark model (fp32 and signed int8) unless it is already there. */
import { ensureModel } from './model.js';

console.log(await ensureModel());
