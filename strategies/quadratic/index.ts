/**
 * Quadratic voting power: the integer square root of a base strategy's power, so influence grows
 * with the square root of holdings. See README.md.
 */
import { isqrt } from '../../core/math/isqrt.js';
import { baseStrategiesOf, type Strategy } from '../types.js';
import { quadraticParams, type QuadraticParams } from './schema.js';

const quadratic: Strategy<QuadraticParams> = {
  name: 'quadratic',
  description: 'Integer square root of a base strategy’s power.',
  paramsSchema: quadraticParams,
  async getPower(context, params, addresses) {
    if (addresses.length === 0) return [];
    const base = await baseStrategiesOf(context).power(context, params.strategy, addresses);
    return base.map(isqrt);
  },
  async holders(context, params, into) {
    await baseStrategiesOf(context).holders(context, params.strategy, into);
  },
};

export default quadratic;
