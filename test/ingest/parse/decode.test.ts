// Charset decision: Content-Type, then BOM, then <meta>, then XML declaration, then UTF-8 / windows-1252.
import assert from 'node:assert/strict';
import { charsetFromMeta, decodePage } from '../../../ingest/parse/decode.ts';
import { CharsetError } from '../../../ingest/parse/errors.ts';
import { page, REAL } from './helpers.ts';

const latin2 = (s: string): Buffer => {
  // Build an ISO-8859-2 encoder from TextDecoder's own table (Node has no legacy encoders).
  const dec = new TextDecoder('iso-8859-2');
  const map = new Map<string, number>();
  for (let b = 0; b < 256; b++) map.set(dec.decode(Uint8Array.of(b)), b);
  return Buffer.from([...s].map((ch) => map.get(ch) ?? 0x3f));
};

describe('decodePage', () => {
  it('the Content-Type charset wins over the page', () => {
    const body = latin2('<meta charset="utf-8"><p>Żywiec</p>');
    const d = decodePage(body, 'text/html; charset="ISO-8859-2"');
    assert.equal(d.origin, 'content-type');
    assert.equal(d.charset, 'iso-8859-2');
    assert.match(d.text, /Żywiec/);
  });

  it('a BOM wins over <meta>', () => {
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('<meta charset="windows-1250">Łódź'),
    ]);
    const d = decodePage(body);
    assert.deepEqual([d.origin, d.charset], ['bom', 'utf-8']);
    assert.equal(d.text, '<meta charset="windows-1250">Łódź');
  });

  it('reads <meta charset> and http-equiv, ignoring a bogus name="Content-Type"', () => {
    assert.equal(charsetFromMeta('<meta charset="windows-1250">'), 'windows-1250');
    assert.equal(
      charsetFromMeta("<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-2'>"),
      'iso-8859-2',
    );
    assert.equal(charsetFromMeta('<META NAME="Content-Type" CONTENT="text/html; charset=en">'), undefined);
  });

  it('decodes the windows-1250 crafted page by its <meta charset>', () => {
    const d = decodePage(page('crafted/gpw-2016-windows-1250.html'));
    assert.deepEqual([d.origin, d.charset], ['meta', 'windows-1250']);
    assert.match(d.text, /ŚNIEŻKA/);
    assert.match(d.text, /Najlepsza oferta sprzedaży/);
  });

  it('decodes the real GPW archive by http-equiv despite its bogus charset=en meta', () => {
    const d = decodePage(page(REAL.gpwArchive));
    assert.deepEqual([d.origin, d.charset], ['meta', 'utf-8']);
  });

  it('uses the XML declaration for ECB files', () => {
    const d = decodePage(page(REAL.ecbDaily));
    assert.deepEqual([d.origin, d.charset], ['xml-declaration', 'utf-8']);
  });

  it('undeclared valid UTF-8 (the GPW 2016 fragment) is read as UTF-8', () => {
    const d = decodePage(page(REAL.gpw2016));
    assert.equal(d.origin, 'utf-8-valid');
    assert.match(d.text, /Liczba zleceń/);
  });

  it('undeclared bytes that are not UTF-8 fall back to windows-1252', () => {
    const d = decodePage(Buffer.from([0x43, 0x61, 0x66, 0xe9])); // "Café" in windows-1252
    assert.deepEqual([d.origin, d.charset, d.text], ['default', 'windows-1252', 'Café']);
  });

  it('the crafted ISO-8859-2 page without <meta> is garbled without its header and right with it', () => {
    const body = page('crafted/gpw-2016-iso-8859-2-no-meta.html');
    assert.doesNotMatch(decodePage(body).text, /ŚNIEŻKA/);
    assert.match(decodePage(body, 'text/html;charset=iso-8859-2').text, /ŚNIEŻKA/);
  });

  for (const [body, ct, label, by] of [
    [Buffer.from('<meta charset="klingon-8">'), undefined, 'klingon-8', '<meta> tag'],
    [Buffer.from('x'), 'text/html; charset=bogus', 'bogus', 'HTTP Content-Type header'],
    [
      Buffer.from('<?xml version="1.0" encoding="EBCDIC-XX"?><a/>'),
      undefined,
      'EBCDIC-XX',
      'XML declaration',
    ],
  ] as const) {
    it(`an unknown label "${label}" is a CharsetError naming it and its origin`, () => {
      assert.throws(
        () => decodePage(body, ct),
        (err: unknown) => {
          assert.ok(err instanceof CharsetError);
          assert.equal(err.label, label);
          assert.match(err.oneLine(), new RegExp(`"${label}".*${by.replace(/[<>]/g, '.')}.*windows-1250`));
          return true;
        },
      );
    });
  }
});
