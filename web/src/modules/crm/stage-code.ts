// Codes of new pipeline stages: what the server accepts (a-z first, then a-z, 0-9, _; at most
// 40), made from the name the sales head typed, unique within the pipeline.

/**
 * A code for a new stage named `name` that no stage in `taken` has.
 * @example stageCode('Demo sent', new Set(['new'])) === 'demo_sent'
 */
export function stageCode(name: string, taken: ReadonlySet<string>): string {
  const ascii = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30);
  // Cyrillic or digits-only names leave nothing usable: a neutral code then.
  const base = /^[a-z]/.test(ascii) ? ascii : ascii ? `s_${ascii}` : 'stage';
  let code = base;
  for (let n = 2; taken.has(code); n++) code = `${base}_${n}`;
  return code;
}
