/**
 * The links of reminder emails. Following a link (GET) only shows a page with a button: mail
 * scanners and link previews fetch GET links, and must not confirm or unsubscribe anyone. The
 * button POSTs to the same URL, which acts; mail clients' one-click unsubscribe (RFC 8058) POSTs
 * `List-Unsubscribe=One-Click` as a form to the List-Unsubscribe URI, which is that same URL.
 *
 *   GET|POST /api/reminders/confirm/:token       pending → confirmed
 *   GET|POST /api/reminders/unsubscribe/:token   → ended (every email carries it, the confirmation too)
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError, NotFoundError } from '../../core/errors.js';
import { withTransaction } from '../../core/db/transaction.js';
import { listProposals } from '../../core/proposals/repository.js';
import { errorResponses } from '../routes/schemas.js';
import { confirmSubscription, endSubscription, findByToken } from './subscriptions.js';
import type { ReminderScheduler } from './queue.js';

const Params = Type.Object({ token: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'the link token of the email' }) });
const Page = Type.String({ description: 'an HTML page' });

function page(reply: FastifyReply, title: string, body: string): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .send(`<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif">${body}</body></html>`);
}

const button = (label: string) => `<form method="post"><button type="submit">${label}</button></form>`;

const reminderRoutes: FastifyPluginAsyncTypebox<{ scheduler: () => ReminderScheduler | null }> = async (app, opts) => {
  // Forms post application/x-www-form-urlencoded (RFC 8058 allows multipart/form-data too); the body
  // says nothing the URL does not, so it is read and ignored. Scoped to these routes.
  for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data']) {
    app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: 4096 }, (_request, _body, done) => done(null, undefined));
  }

  const notFound = () => new NotFoundError('LINK_NOT_FOUND', 'this link is not valid (it may be from a replaced subscription)');

  app.get(
    '/api/reminders/confirm/:token',
    {
      schema: {
        tags: ['reminders'],
        summary: 'The confirmation link of a subscription: a page with a Confirm button',
        params: Params,
        response: { 200: Page, 404: errorResponses[404] },
      },
    },
    async (request, reply) => {
      const sub = await findByToken(app.db.pool, 'confirm', request.params.token);
      if (!sub) throw notFound();
      if (sub.status === 'confirmed') return page(reply, 'Confirmed', `<p>Reminders of ${sub.spaceId} to this address are already confirmed.</p>`);
      if (sub.status === 'ended') throw new AppError('SUBSCRIPTION_ENDED', 410, 'this subscription was unsubscribed or replaced');
      return page(reply, 'Confirm', `<p>Send reminders of ${sub.spaceId} to this address?</p>${button('Confirm')}`);
    },
  );

  app.post(
    '/api/reminders/confirm/:token',
    {
      schema: {
        tags: ['reminders'],
        summary: 'Confirms a subscription (double opt-in): nothing but the confirmation is sent before',
        params: Params,
        response: { 200: Page, 404: errorResponses[404], 410: errorResponses[404] },
      },
    },
    async (request, reply) => {
      const confirmed = await withTransaction(app.db.pool, async (client) => {
        const sub = await findByToken(client, 'confirm', request.params.token, true);
        if (!sub) throw notFound();
        if (sub.status === 'ended') throw new AppError('SUBSCRIPTION_ENDED', 410, 'this subscription was unsubscribed or replaced');
        return (await confirmSubscription(client, sub.id, new Date())) ? sub : null;
      });
      // Closing reminders of stages open now: planned for this subscriber alone.
      const scheduler = opts.scheduler();
      if (confirmed && scheduler && confirmed.events.includes('closing')) {
        const open = [
          ...(await listProposals(app.db.pool, { spaceId: confirmed.spaceId, state: 'temperature', after: null, limit: 200 })).map((p) => ({ p, stage: 1 })),
          ...(await listProposals(app.db.pool, { spaceId: confirmed.spaceId, state: 'consensus', after: null, limit: 200 })).map((p) => ({ p, stage: 2 })),
        ];
        await scheduler
          .addMany(open.map(({ p, stage }) => ({ data: { kind: 'plan-closing' as const, proposalId: p.id, stage, subscriptionId: confirmed.id } })))
          .catch((error: unknown) => request.log.warn({ err: error }, 'could not plan the closing reminders of a new subscription'));
      }
      return page(reply, 'Confirmed', '<p>Confirmed. Every email has a link to unsubscribe.</p>');
    },
  );

  app.get(
    '/api/reminders/unsubscribe/:token',
    {
      schema: {
        tags: ['reminders'],
        summary: 'The unsubscribe link of every reminder email: a page with an Unsubscribe button',
        params: Params,
        response: { 200: Page, 404: errorResponses[404] },
      },
    },
    async (request, reply) => {
      const sub = await findByToken(app.db.pool, 'unsubscribe', request.params.token);
      if (!sub) throw notFound();
      if (sub.status === 'ended') return page(reply, 'Unsubscribed', '<p>This address gets no more reminders from this subscription.</p>');
      return page(reply, 'Unsubscribe', `<p>Stop the reminders of ${sub.spaceId} to this address?</p>${button('Unsubscribe')}`);
    },
  );

  app.post(
    '/api/reminders/unsubscribe/:token',
    {
      schema: {
        tags: ['reminders'],
        summary: 'One-click unsubscribe (RFC 8058 List-Unsubscribe-Post); repeating it is harmless',
        params: Params,
        response: { 200: Page, 404: errorResponses[404] },
      },
    },
    async (request, reply) => {
      const sub = await findByToken(app.db.pool, 'unsubscribe', request.params.token);
      if (!sub) throw notFound();
      await endSubscription(app.db.pool, sub.id, 'link', new Date());
      return page(reply, 'Unsubscribed', '<p>Unsubscribed: this address gets no more reminders from this subscription.</p>');
    },
  );
};

export default reminderRoutes;
