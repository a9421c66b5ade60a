/** Record sizes of the vote crypto workers' batches (vote-crypto.ts ↔ vote-crypto-worker.ts). */

/** digest 32 ‖ signature 65 ‖ receipt digest 32 */
export const INPUT_RECORD = 129;
/** recovered flag 1 ‖ address 20 ‖ receipt signature 65 */
export const OUTPUT_RECORD = 86;
