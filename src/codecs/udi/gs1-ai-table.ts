/**
 * GS1 Application Identifier table (GS1 General Specifications section 3, GS1 Barcode Syntax
 * Dictionary notation). Covers the AIs met in healthcare, logistics and the conformance corpus;
 * an AI with a known prefix but absent here is kept raw as X..90.
 *
 * Spec notation: components separated by spaces; `N` digits, `X` CSET 82, `Y` CSET 39,
 * `Z` CSET 64 (base64url); `N14` fixed, `X..20` up to 20, `X1..28` 1 to 28; `[...]` optional;
 * `,check` linters: csum (mod 10), yymmdd, yymmd0 (day 00 allowed), hh, mi, ss, zero, yesno,
 * winding, hyphen, pcenc, sex.
 */
export interface AiComponent {
  cset: 'N' | 'X' | 'Y' | 'Z';
  min: number;
  max: number;
  optional: boolean;
  checks: string[];
}

export interface AiSpec {
  ai: string;
  title: string;
  components: AiComponent[];
  /** True when the AI's value has a predefined length, so no FNC1 separator follows it. */
  predefined: boolean;
}

const TABLE: Record<string, [string, string]> = {
  '00': ['SSCC', 'N18,csum'],
  '01': ['GTIN', 'N14,csum'],
  '02': ['CONTENT', 'N14,csum'],
  '10': ['BATCH/LOT', 'X..20'],
  '11': ['PROD DATE', 'N6,yymmd0'],
  '12': ['DUE DATE', 'N6,yymmd0'],
  '13': ['PACK DATE', 'N6,yymmd0'],
  '15': ['BEST BEFORE', 'N6,yymmd0'],
  '16': ['SELL BY', 'N6,yymmd0'],
  '17': ['USE BY', 'N6,yymmd0'],
  '20': ['VARIANT', 'N2'],
  '21': ['SERIAL', 'X..20'],
  '22': ['CPV', 'X..20'],
  '235': ['TPX', 'X..28'],
  '240': ['ADDITIONAL ID', 'X..30'],
  '241': ['CUST. PART No.', 'X..30'],
  '242': ['MTO VARIANT', 'N..6'],
  '243': ['PCN', 'X..20'],
  '250': ['SECONDARY SERIAL', 'X..30'],
  '251': ['REF. TO SOURCE', 'X..30'],
  '253': ['GDTI', 'N13,csum [X..17]'],
  '254': ['GLN EXTENSION', 'X..20'],
  '255': ['GCN', 'N13,csum [N..12]'],
  '30': ['VAR. COUNT', 'N..8'],
  '37': ['COUNT', 'N..8'],
  '400': ['ORDER NUMBER', 'X..30'],
  '401': ['GINC', 'X..30'],
  '402': ['GSIN', 'N17,csum'],
  '403': ['ROUTE', 'X..30'],
  '420': ['SHIP TO POST', 'X..20'],
  '421': ['SHIP TO POST', 'N3 X..9'],
  '422': ['ORIGIN', 'N3'],
  '423': ['COUNTRY - INITIAL PROCESS', 'N3 [N3] [N3] [N3] [N3]'],
  '424': ['COUNTRY - PROCESS', 'N3'],
  '425': ['COUNTRY - DISASSEMBLY', 'N3 [N3] [N3] [N3] [N3]'],
  '426': ['COUNTRY - FULL PROCESS', 'N3'],
  '427': ['ORIGIN SUBDIVISION', 'X..3'],
  '4300': ['SHIP TO COMP', 'X..35,pcenc'],
  '4307': ['SHIP TO COUNTRY', 'X2'],
  '4309': ['SHIP TO GEO', 'N20'],
  '4321': ['DANGEROUS GOODS', 'N1,yesno'],
  '4324': ['NOT BEFORE DEL', 'N6,yymmd0 N2,hh N2,mi'],
  '4326': ['REL DATE', 'N6,yymmdd'],
  '4330': ['MAX TEMP F', 'N6 [X1,hyphen]'],
  '7001': ['NSN', 'N13'],
  '7002': ['MEAT CUT', 'X..30'],
  '7003': ['EXPIRY TIME', 'N6,yymmdd N2,hh N2,mi'],
  '7004': ['ACTIVE POTENCY', 'N..4'],
  '7005': ['CATCH AREA', 'X..12'],
  '7006': ['FIRST FREEZE DATE', 'N6,yymmdd'],
  '7007': ['HARVEST DATE', 'N6,yymmdd [N6,yymmdd]'],
  '7008': ['AQUATIC SPECIES', 'X..3'],
  '7009': ['FISHING GEAR TYPE', 'X..10'],
  '7010': ['PROD METHOD', 'X..2'],
  '7011': ['TEST BY DATE', 'N6,yymmdd [N2,hh N2,mi]'],
  '7020': ['REFURB LOT', 'X..20'],
  '7021': ['FUNC STAT', 'X..20'],
  '7022': ['REV STAT', 'X..20'],
  '7023': ['GIAI - ASSEMBLY', 'X..30'],
  '7040': ['UIC+EXT', 'N1 X3'],
  '7240': ['PROTOCOL', 'X..20'],
  '7241': ['AIDC MEDIA TYPE', 'N2'],
  '7242': ['VCN', 'X..25'],
  '7250': ['DOB', 'N8'],
  '7252': ['BIO SEX', 'N1,sex'],
  '7258': ['BIRTH SEQUENCE', 'N1 X1 N1'],
  '8001': ['DIMENSIONS', 'N4 N5 N3 N1,winding N1'],
  '8002': ['CMT No.', 'X..20'],
  '8003': ['GRAI', 'N1,zero N13,csum [X..16]'],
  '8004': ['GIAI', 'X..30'],
  '8005': ['PRICE PER UNIT', 'N6'],
  '8006': ['ITIP', 'N14,csum N2 N2'],
  '8007': ['IBAN', 'X..34'],
  '8008': ['PROD TIME', 'N6,yymmdd N2,hh [N2,mi] [N2,ss]'],
  '8009': ['OPTSEN', 'X..50'],
  '8010': ['CPID', 'Y..30'],
  '8011': ['CPID SERIAL', 'N..12'],
  '8012': ['VERSION', 'X..20'],
  '8013': ['GMN', 'X..25'],
  '8017': ['GSRN - PROVIDER', 'N18,csum'],
  '8018': ['GSRN - RECIPIENT', 'N18,csum'],
  '8019': ['SRIN', 'N..10'],
  '8020': ['REF No.', 'X..25'],
  '8026': ['ITIP CONTENT', 'N14,csum N2 N2'],
  '8030': ['DIGSIG', 'Z..90'],
  '8110': ['COUPON', 'X..70'],
  '8111': ['POINTS', 'N4'],
  '8112': ['PAPERLESS COUPON', 'X..70'],
  '8200': ['PRODUCT URL', 'X..70'],
  '90': ['INTERNAL', 'X..30'],
};

// Families that share one spec: 31nn-36nn measures (N6), 390n/392n amounts (N..15), 391n/393n
// amounts with ISO 4217 currency (N3 N..15), 394n percentage (N4), 395n (N6), 410-417 GLNs,
// 7030-7039 processor approval (N3 X..27), 710-716 NHRN (X..20), 91-99 company internal (X..90),
// 7230-7239 certification reference (X2 X1..28), 7253-7259 person data (X..40).
function familySpec(ai: string): [string, string] | undefined {
  if (/^3[1-6]\d\d$/.test(ai)) return ['MEASURE', 'N6'];
  if (/^39[02]\d$/.test(ai)) return ['AMOUNT', 'N..15'];
  if (/^39[13]\d$/.test(ai)) return ['AMOUNT ISO', 'N3 N..15'];
  if (/^394\d$/.test(ai)) return ['PRCNT OFF', 'N4'];
  if (/^395\d$/.test(ai)) return ['PRICE/UoM', 'N6'];
  if (/^41[0-7]$/.test(ai)) return ['GLN', 'N13,csum'];
  if (/^703\d$/.test(ai)) return ['PROCESSOR', 'N3 X..27'];
  if (/^71[0-6]$/.test(ai)) return ['NHRN', 'X..20'];
  if (/^723\d$/.test(ai)) return ['CERT', 'X2 X1..28'];
  if (/^725[3-9]$/.test(ai)) return ['PERSON', 'X..40'];
  if (/^9[1-9]$/.test(ai)) return ['INTERNAL', 'X..90'];
  return undefined;
}

/**
 * AI length by its first two digits (GS1 General Specifications figure 3.2-1 and the GS1
 * Barcode Syntax Dictionary). Prefixes absent here are not allocated: "no such AI".
 */
export function aiLengthForPrefix(prefix: string): number | undefined {
  if (/^(0[0-2]|1[0-7]|2[0-2]|30|37|9\d)$/.test(prefix)) return 2;
  if (/^(2[3-5]|4[0-2]|71)$/.test(prefix)) return 3;
  if (/^(3[1-69]|43|70|72|80|81|82)$/.test(prefix)) return 4;
  return undefined;
}

/** Prefixes of AIs with a predefined length (GS1 General Specifications figure 5.10.1-2). */
function isPredefinedPrefix(prefix: string): boolean {
  return /^(0[0-4]|1[1-9]|20|3[1-6]|41)$/.test(prefix);
}

function parseComponents(spec: string): AiComponent[] {
  const out: AiComponent[] = [];
  for (const group of spec.match(/\[[^\]]+\]|\S+/g) ?? []) {
    const optional = group.startsWith('[');
    const inner = optional ? group.slice(1, -1) : group;
    for (const token of inner.split(' ')) {
      const [shape = '', ...checks] = token.split(',');
      const m = /^([NXYZ])(\d*)(\.\.(\d+))?$/.exec(shape);
      if (!m) throw new Error(`bad AI spec token ${token}`);
      const cset = m[1] as AiComponent['cset'];
      const max = Number(m[4] ?? m[2]);
      const min = m[3] ? (m[2] ? Number(m[2]) : 1) : max;
      out.push({ cset, min, max, optional, checks });
    }
  }
  return out;
}

const cache = new Map<string, AiSpec>();

/** The spec of a GS1 AI, or undefined when its prefix is not allocated. */
export function lookupAi(ai: string, permitUnknown = false): AiSpec | undefined {
  const hit = cache.get(ai);
  if (hit) return hit;
  const entry = TABLE[ai] ?? familySpec(ai);
  const prefix = ai.slice(0, 2);
  let spec: AiSpec | undefined;
  if (entry) {
    spec = { ai, title: entry[0], components: parseComponents(entry[1]), predefined: isPredefinedPrefix(prefix) };
  } else if (permitUnknown || aiLengthForPrefix(prefix) === ai.length) {
    spec = { ai, title: 'UNKNOWN', components: parseComponents('X..90'), predefined: false };
  }
  if (spec) cache.set(ai, spec);
  return spec;
}

/** Maximum total value length of an AI. */
export function maxLength(spec: AiSpec): number {
  return spec.components.reduce((n, c) => n + c.max, 0);
}
