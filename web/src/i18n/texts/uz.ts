// The Uzbek texts of the shell and of every module (web/src/modules/<m>/i18n/), as one object in
// one chunk that the browser fetches only when this language is chosen.
const files = import.meta.glob<Record<string, string>>(['../uz.json', '../../modules/*/i18n/uz.json'], {
  eager: true,
  import: 'default',
});

export default Object.assign({}, ...Object.values(files)) as Record<string, string>;
