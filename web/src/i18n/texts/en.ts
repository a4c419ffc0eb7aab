// The English texts of the shell and of every module (web/src/modules/<m>/i18n/), as one object in
// one chunk that the browser fetches only when this language is chosen.
const files = import.meta.glob<Record<string, string>>(['../en.json', '../../modules/*/i18n/en.json'], {
  eager: true,
  import: 'default',
});

export default Object.assign({}, ...Object.values(files)) as Record<string, string>;
