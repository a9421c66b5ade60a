/**
 * sqlLiteral (server/votes/vote-writer.ts): the vote writer inlines each batch document as a
 * dollar-quoted literal in its simple-protocol query. Whatever the text, PostgreSQL reads back
 * exactly the text, under either setting of standard_conforming_strings, and a text that holds the
 * tag drawn first gets another.
 */
import t from 'tap';
import pg from 'pg';
import { adminDatabaseUrl } from '../helpers/database.js';
import { dollarTagFor, sqlLiteral } from '../../server/votes/vote-writer.js';

const TEXTS = [
  '',
  "it's C:\\path\\",
  "\\'; DROP TABLE votes; --",
  '"quoted" \\" $$ $tag$ E\'x\' $g$ $',
  'ünïcødé 投票 🗳️\n\ttabs\r\n',
  '{"reason":"a\\\\b \\"c\\" \\u00e9"}',
  '$gabcdef012345$ inside',
];

t.test('every text reads back as it is, under both standard_conforming_strings settings', async (t) => {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  t.teardown(() => client.end());
  for (const setting of ['on', 'off']) {
    await client.query(`SET standard_conforming_strings = ${setting}`);
    for (const text of TEXTS) {
      const { rows } = await client.query<{ v: string }>(`SELECT ${sqlLiteral(text)} AS v`);
      t.equal(rows[0]!.v, text, `${JSON.stringify(text)} with standard_conforming_strings ${setting}`);
    }
  }
});

t.test('a tag found in the text is not used: the next one is drawn', async (t) => {
  const tags = ['$gabcdef012345$', '$gfedcba543210$'];
  let drawn = 0;
  const literal = sqlLiteral('x $gabcdef012345$ y', () => tags[drawn++]!);
  t.equal(drawn, 2, 'two tags drawn');
  t.equal(literal, '$gfedcba543210$x $gabcdef012345$ y$gfedcba543210$');

  // The default: the same tag while no text holds it, a new one once a text does.
  const tagOf = (literal: string) => literal.slice(0, literal.indexOf('$', 1) + 1);
  const first = tagOf(sqlLiteral('a'));
  t.match(first, /^\$g[0-9a-f]{12}\$$/);
  t.equal(tagOf(sqlLiteral('b')), first, 'the tag is kept between texts');
  const next = tagOf(sqlLiteral(`holds ${first} inside`));
  t.not(next, first, 'a text holding the tag gets another');
  t.equal(tagOf(sqlLiteral('c')), next, 'which is kept from then on');

  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  t.teardown(() => client.end());
  const { rows } = await client.query<{ v: string }>(`SELECT ${literal} AS v`);
  t.equal(rows[0]!.v, 'x $gabcdef012345$ y');
});

t.test('a tag held by any of several texts is not used', async (t) => {
  const tags = ['$gabcdef012345$', '$gfedcba543210$', '$g000000000000$'];
  let drawn = 0;
  const tag = dollarTagFor(['plain', 'x $gabcdef012345$', 'y $gfedcba543210$ z'], () => tags[drawn++]!);
  t.equal(tag, '$g000000000000$', 'the first tag no text holds');
  t.equal(drawn, 3);
  t.equal(dollarTagFor([]), dollarTagFor(['no tag here']), 'the tag in use, while no text holds it');
});
