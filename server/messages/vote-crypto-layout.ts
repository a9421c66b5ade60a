/** Record sizes of the vote crypto workers' batches (vote-crypto.ts ↔ vote-crypto-worker.ts). */

/** digest 32 ‖ signature 65 */
export const INPUT_RECORD = 97;
/** recovered flag 1 ‖ address 20 */
export const OUTPUT_RECORD = 21;
