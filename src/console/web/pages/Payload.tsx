import { useState } from 'preact/hooks';
import { decodeHl7 } from '../decode/hl7.js';
import { decodeX12 } from '../decode/x12.js';
import { detectPayload } from '../decode/detect.js';

function Hl7View({ text }: { text: string }) {
  return (
    <table class="dense decoded hl7">
      <tbody>
        {decodeHl7(text).map((seg, si) => [
          <tr key={`s${si}`} class="seghead"><th colSpan={3}>{seg.id}{seg.occurrence > 1 ? ` (${seg.occurrence})` : ''}</th></tr>,
          ...seg.fields.map((f) => (
            <tr key={`s${si}${f.ref}`}>
              <td class="mono ref">{f.ref}</td>
              <td class="fname">{f.name}</td>
              <td class="mono val">{f.value}</td>
            </tr>
          )),
        ])}
      </tbody>
    </table>
  );
}

function X12View({ text }: { text: string }) {
  return (
    <table class="dense decoded x12">
      <tbody>
        {decodeX12(text).map((seg, i) => (
          <tr key={i}>
            <th class="mono">{seg.id}</th>
            <td>
              {seg.elements.map((el) => (
                <span key={el.ref} class="el"><i>{el.ref}</i> <span class="mono">{el.value || '∅'}</span></span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function JsonView({ text }: { text: string }) {
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not valid JSON: show it as it arrived.
  }
  return <pre class="raw">{pretty}</pre>;
}

/**
 * The payload, decoded for reading (HL7 v2 with field names, X12 with element positions, FHIR
 * and other JSON pretty-printed) with a toggle to the raw text.
 */
export function Payload({ contentType, text }: { contentType: string; text: string }) {
  const kind = detectPayload(contentType, text);
  const [raw, setRaw] = useState(false);
  return (
    <div class="payload">
      <div class="tabs">
        <button class={raw ? '' : 'on'} onClick={() => setRaw(false)}>Decoded ({kind})</button>
        <button class={raw ? 'on' : ''} onClick={() => setRaw(true)}>Raw</button>
      </div>
      {raw || kind === 'text' ? (
        <pre class="raw">{text.replace(/\r/g, '\n')}</pre>
      ) : kind === 'hl7v2' ? (
        <Hl7View text={text} />
      ) : kind === 'x12' ? (
        <X12View text={text} />
      ) : (
        <JsonView text={text} />
      )}
    </div>
  );
}
