/**
 * Quadratic voting power: the integer square root of a base strategy's power, so influence grows
 * with the square root of holdings. See README.md.
 */
import type { Strategy } from '../types.js';
import { isqrt } from '../../core/math/isqrt.js';
import { quadraticParams, type QuadraticParams } from './schema.js';

const quadratic: Strategy<QuadraticParams> = {
  name: 'quadratic',
  description: 'Integer square root of a base strategy’s power.',
  paramsSchema: quadraticParams,
  async getPower(context, params, addresses) {
    if (addresses.length === 0) return [];
    // Imported lazily: the registry imports this module, so a static import would be circular.
    const { basePower } = await import('../index.js');
    const base = await basePower(context, params.strategy, addresses);
    return base.map(isqrt);
  },
  async holders(context, params, into) {
    const { baseHolders } = await import('../index.js');
    await baseHolders(context, params.strategy, into);
  },
};

export default quadratic;
