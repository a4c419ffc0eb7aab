// Guesses which client field each column of an imported file holds, from its header, in the
// three languages of the suite. The server suggests a mapping too; this fills what it left empty.

export const IMPORT_FIELDS = [
  'name',
  'kind',
  'taxId',
  'phones',
  'emails',
  'region',
  'industry',
  'segment',
  'source',
  'status',
  'tags',
  'website',
  'address',
  'notes',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

// Words a header may contain, lower case, without spaces or punctuation.
const WORDS: Record<ImportField, string[]> = {
  name: [
    'name',
    'nomi',
    'ism',
    'mijoz',
    'client',
    'company',
    'kompaniya',
    'наименование',
    'название',
    'имя',
    'клиент',
    'компания',
    'фио',
  ],
  kind: ['kind', 'type', 'turi', 'тип', 'вид'],
  taxId: ['taxid', 'inn', 'stir', 'pinfl', 'tin', 'инн', 'пинфл', 'стир'],
  phones: ['phone', 'tel', 'mobile', 'telefon', 'телефон', 'тел', 'моб'],
  emails: ['email', 'mail', 'pochta', 'почта', 'эл'],
  region: ['region', 'viloyat', 'hudud', 'регион', 'область'],
  industry: ['industry', 'soha', 'отрасль'],
  segment: ['segment', 'сегмент'],
  source: ['source', 'manba', 'источник'],
  status: ['status', 'holat', 'статус'],
  tags: ['tag', 'teg', 'тег', 'метк'],
  website: ['website', 'site', 'web', 'url', 'sayt', 'сайт'],
  address: ['address', 'manzil', 'адрес'],
  notes: ['note', 'comment', 'izoh', 'заметк', 'комментар', 'примечан'],
};

function squeeze(header: string): string {
  return header
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\s\-_.'ʻʼ`()/:]+/g, '');
}

/** The field a header most likely names, or null. Exact words win over words inside the header. */
export function guessField(header: string): ImportField | null {
  const text = squeeze(header);
  if (!text) return null;
  for (const field of IMPORT_FIELDS) if (WORDS[field].includes(text)) return field;
  // Longer words first, so that "e-mail" is not taken for "mail" in some other field.
  const candidates = IMPORT_FIELDS.flatMap((field) => WORDS[field].map((word) => ({ field, word }))).sort(
    (a, b) => b.word.length - a.word.length,
  );
  for (const { field, word } of candidates) if (word.length >= 3 && text.includes(word)) return field;
  return null;
}

/**
 * A mapping for every column: the server's suggestion where it made one, otherwise our guess;
 * each field is given to one column only (the first that claims it).
 */
export function guessMapping(
  columns: string[],
  suggested: Record<string, string | null> = {},
): Record<string, ImportField | null> {
  const taken = new Set<string>();
  const mapping: Record<string, ImportField | null> = {};
  for (const column of columns) {
    const fromServer = suggested[column];
    const field =
      fromServer && (IMPORT_FIELDS as readonly string[]).includes(fromServer)
        ? (fromServer as ImportField)
        : guessField(column);
    if (field && !taken.has(field)) {
      taken.add(field);
      mapping[column] = field;
    } else {
      mapping[column] = null;
    }
  }
  return mapping;
}

/** Whether the mapping can be validated: a name column is needed. */
export function mappingProblem(mapping: Record<string, string | null>): 'NAME_MISSING' | null {
  return Object.values(mapping).includes('name') ? null : 'NAME_MISSING';
}
