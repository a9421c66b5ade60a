/** pino's JSON lines captured in memory, for tests that assert what was logged. */
import { Writable } from 'node:stream';
import { pino, type Level, type Logger } from 'pino';

/** A stream (for buildApp's logStream or a pino logger) and the parsed lines written to it. */
export function captureLogLines(): { lines: any[]; stream: Writable } {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

/** A pino logger at `level` writing into captureLogLines(). */
export function capturingLogger(level: Level): { lines: any[]; logger: Logger } {
  const { lines, stream } = captureLogLines();
  return { lines, logger: pino({ level }, stream) };
}
