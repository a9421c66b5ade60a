/**
 * Sending over SMTP with nodemailer, one pooled transport per process from SMTP_URL. SMTP's own
 * answer decides the retry: a 5xx reply is permanent (the address or the message is refused),
 * a 4xx reply or a network failure is retried with backoff.
 */
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { GovrelayError } from '../../core/errors.js';
import type { Email } from './emails.js';

export class MailRefusedError extends GovrelayError {
  override name = 'MailRefusedError';
}

export interface Mailer {
  send(to: string, email: Email): Promise<void>;
  close(): void;
}

export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport: Transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(to, email) {
      try {
        await transport.sendMail({ from, to, subject: email.subject, text: email.text, html: email.html, headers: email.headers });
      } catch (error) {
        const responseCode = (error as { responseCode?: number }).responseCode;
        const permanent = typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
        throw new MailRefusedError(`SMTP ${permanent ? 'refused' : 'did not take'} the email: ${(error as Error).message}`, {
          retryable: !permanent,
          cause: error,
          details: { responseCode },
        });
      }
    },
    close: () => transport.close(),
  };
}
