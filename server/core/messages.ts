// Server-side texts (error messages) in the three languages. Modules add their own
// catalogue through their definition; a code without a text falls back to English, then the code.
import type { Locale } from './locale.js';

export type MessageCatalogue = Record<Locale, Record<string, string>>;

export const coreMessages: MessageCatalogue = {
  en: {
    IMPORT_HAS_ERRORS: '{count} row(s) have errors: fix them or skip the invalid rows.',
    IMPORT_FILE_INVALID: 'The file could not be read as CSV or XLSX.',
    IMPORT_FILE_TYPE:
      'Only CSV (.csv) and Excel (.xlsx) files can be imported: save the file in one of these formats.',
    IMPORT_FILE_MISSING: 'Choose a file to import.',
    IMPORT_TOO_LARGE: 'The file is too large (at most 5 MB and 50 000 rows).',
    IMPORT_VALUE_INVALID: 'The value "{value}" is not allowed here.',
    VALIDATION_FAILED: 'Some fields are not filled in correctly.',
    TEXT_NUL_CHARACTER: 'The text holds a NUL character (U+0000), which cannot be stored. Remove it.',
    DATE_OUT_OF_RANGE: 'Pick a date between the years 1900 and 2999.',
    PERIOD_END_BEFORE_START: 'The period ends before it starts: pick a date on or after the first one.',
    DATE_OR_INSTANT_INVALID:
      'Give a date (2026-11-24) or a time with its offset (2026-11-24T09:30:00+05:00).',
    UNAUTHENTICATED: 'Please sign in.',
    INVALID_CREDENTIALS: 'Wrong e-mail or password.',
    ACCOUNT_DISABLED: 'This account is disabled. Ask an administrator.',
    FORBIDDEN: 'You do not have the right to do this.',
    NOT_FOUND: 'Not found.',
    RATE_LIMITED: 'Too many attempts. Try again in {seconds} seconds.',
    EMAIL_TAKEN: 'A user with this e-mail already exists.',
    ROLE_LOCKED: 'The administrator role always has every permission and cannot be changed.',
    ROLE_UNKNOWN: 'There is no role "{role}".',
    PERMISSION_UNKNOWN: 'There is no permission "{permission}".',
    PASSWORD_WRONG: 'The current password is wrong.',
    CURRENT_PASSWORD_REQUIRED: 'Enter your current password to set a new one.',
    ROLE_EXISTS: 'The role "{role}" already exists.',
    LAST_ADMIN: 'At least one active administrator must remain.',
    PAYLOAD_TOO_LARGE: 'The request is too large.',
    UNSUPPORTED_MEDIA_TYPE: 'This content type is not accepted here.',
    BAD_REQUEST: 'The request could not be read: {reason}',
    NUMBER_OUT_OF_RANGE:
      'A number is too large to be recorded (a total would grow beyond what it can hold). Nothing was changed.',
    IDEMPOTENCY_KEY_REQUIRED:
      'This request needs an Idempotency-Key header, so that a retry cannot do it twice.',
    IDEMPOTENCY_KEY_INVALID:
      'The Idempotency-Key header must be 8 to 200 letters, digits, dots, colons, dashes or underscores.',
    IDEMPOTENCY_MISMATCH: 'This Idempotency-Key was already used for a different request.',
    INTERNAL: 'Something went wrong on our side. The error has been logged (request {requestId}).',
    SERVICE_UNAVAILABLE: 'The server is shutting down or not ready. Try again shortly.',
  },
  ru: {
    IMPORT_HAS_ERRORS: 'В {count} строках есть ошибки: исправьте их или пропустите неверные строки.',
    IMPORT_FILE_INVALID: 'Файл не удалось прочитать как CSV или XLSX.',
    IMPORT_FILE_TYPE:
      'Импортировать можно только файлы CSV (.csv) и Excel (.xlsx): сохраните файл в одном из этих форматов.',
    IMPORT_FILE_MISSING: 'Выберите файл для импорта.',
    IMPORT_TOO_LARGE: 'Файл слишком большой (не более 5 МБ и 50 000 строк).',
    IMPORT_VALUE_INVALID: 'Значение «{value}» здесь недопустимо.',
    VALIDATION_FAILED: 'Некоторые поля заполнены неверно.',
    TEXT_NUL_CHARACTER: 'В тексте есть нулевой символ (U+0000), его нельзя сохранить. Удалите его.',
    DATE_OUT_OF_RANGE: 'Выберите дату между 1900 и 2999 годами.',
    PERIOD_END_BEFORE_START:
      'Период заканчивается раньше, чем начинается: выберите дату не раньше начальной.',
    DATE_OR_INSTANT_INVALID: 'Укажите дату (2026-11-24) или время со смещением (2026-11-24T09:30:00+05:00).',
    UNAUTHENTICATED: 'Войдите в систему.',
    INVALID_CREDENTIALS: 'Неверный e-mail или пароль.',
    ACCOUNT_DISABLED: 'Учётная запись отключена. Обратитесь к администратору.',
    FORBIDDEN: 'У вас нет права на это действие.',
    NOT_FOUND: 'Не найдено.',
    RATE_LIMITED: 'Слишком много попыток. Повторите через {seconds} с.',
    EMAIL_TAKEN: 'Пользователь с таким e-mail уже существует.',
    ROLE_LOCKED: 'Роль администратора всегда имеет все права и не изменяется.',
    ROLE_UNKNOWN: 'Роли «{role}» не существует.',
    PERMISSION_UNKNOWN: 'Права «{permission}» не существует.',
    PASSWORD_WRONG: 'Текущий пароль неверен.',
    CURRENT_PASSWORD_REQUIRED: 'Чтобы задать новый пароль, введите текущий.',
    ROLE_EXISTS: 'Роль «{role}» уже существует.',
    LAST_ADMIN: 'Должен остаться хотя бы один активный администратор.',
    PAYLOAD_TOO_LARGE: 'Слишком большой запрос.',
    UNSUPPORTED_MEDIA_TYPE: 'Этот тип содержимого здесь не принимается.',
    BAD_REQUEST: 'Не удалось прочитать запрос: {reason}',
    NUMBER_OUT_OF_RANGE: 'Число слишком велико для записи (итог превысил бы допустимое). Ничего не изменено.',
    IDEMPOTENCY_KEY_REQUIRED:
      'Для этого запроса нужен заголовок Idempotency-Key, чтобы повтор не выполнил его дважды.',
    IDEMPOTENCY_KEY_INVALID:
      'Заголовок Idempotency-Key: от 8 до 200 букв, цифр, точек, двоеточий, дефисов или подчёркиваний.',
    IDEMPOTENCY_MISMATCH: 'Этот Idempotency-Key уже использован для другого запроса.',
    INTERNAL: 'Ошибка на стороне сервера. Она записана в журнал (запрос {requestId}).',
    SERVICE_UNAVAILABLE: 'Сервер останавливается или ещё не готов. Повторите чуть позже.',
  },
  uz: {
    IMPORT_HAS_ERRORS:
      '{count} ta qatorda xato bor: ularni tuzating yoki notoʻgʻri qatorlarni oʻtkazib yuboring.',
    IMPORT_FILE_INVALID: 'Faylni CSV yoki XLSX sifatida oʻqib boʻlmadi.',
    IMPORT_FILE_TYPE:
      'Faqat CSV (.csv) va Excel (.xlsx) fayllarini import qilish mumkin: faylni shu formatlardan birida saqlang.',
    IMPORT_FILE_MISSING: 'Import uchun faylni tanlang.',
    IMPORT_TOO_LARGE: 'Fayl juda katta (koʻpi bilan 5 MB va 50 000 qator).',
    IMPORT_VALUE_INVALID: '«{value}» qiymati bu yerda ruxsat etilmaydi.',
    VALIDATION_FAILED: 'Baʼzi maydonlar notoʻgʻri toʻldirilgan.',
    TEXT_NUL_CHARACTER: 'Matnda nol belgisi (U+0000) bor, uni saqlab boʻlmaydi. Uni olib tashlang.',
    DATE_OUT_OF_RANGE: '1900 va 2999 yillar orasidagi sanani tanlang.',
    PERIOD_END_BEFORE_START:
      'Davr boshlanishidan oldin tugayapti: boshlangʻich sanadan keyingi sanani tanlang.',
    DATE_OR_INSTANT_INVALID:
      'Sanani (2026-11-24) yoki vaqtni siljishi bilan (2026-11-24T09:30:00+05:00) kiriting.',
    UNAUTHENTICATED: 'Iltimos, tizimga kiring.',
    INVALID_CREDENTIALS: 'E-pochta yoki parol notoʻgʻri.',
    ACCOUNT_DISABLED: 'Bu hisob oʻchirilgan. Administratorga murojaat qiling.',
    FORBIDDEN: 'Sizda bu amal uchun ruxsat yoʻq.',
    NOT_FOUND: 'Topilmadi.',
    RATE_LIMITED: 'Urinishlar juda koʻp. {seconds} soniyadan keyin qayta urining.',
    EMAIL_TAKEN: 'Bu e-pochtali foydalanuvchi allaqachon mavjud.',
    ROLE_LOCKED: 'Administrator roli har doim barcha ruxsatlarga ega va oʻzgartirilmaydi.',
    ROLE_UNKNOWN: '«{role}» roli mavjud emas.',
    PERMISSION_UNKNOWN: '«{permission}» ruxsati mavjud emas.',
    PASSWORD_WRONG: 'Joriy parol notoʻgʻri.',
    CURRENT_PASSWORD_REQUIRED: 'Yangi parol oʻrnatish uchun joriy parolni kiriting.',
    ROLE_EXISTS: '«{role}» roli allaqachon mavjud.',
    LAST_ADMIN: 'Kamida bitta faol administrator qolishi kerak.',
    PAYLOAD_TOO_LARGE: 'Soʻrov juda katta.',
    UNSUPPORTED_MEDIA_TYPE: 'Bu turdagi maʼlumot bu yerda qabul qilinmaydi.',
    BAD_REQUEST: 'Soʻrovni oʻqib boʻlmadi: {reason}',
    NUMBER_OUT_OF_RANGE:
      'Son yozib boʻlmaydigan darajada katta (jami ruxsat etilganidan oshib ketadi). Hech narsa oʻzgartirilmadi.',
    IDEMPOTENCY_KEY_REQUIRED:
      'Bu soʻrov uchun Idempotency-Key sarlavhasi kerak, shunda takroriy soʻrov uni ikki marta bajarmaydi.',
    IDEMPOTENCY_KEY_INVALID:
      'Idempotency-Key sarlavhasi 8 dan 200 gacha harf, raqam, nuqta, ikki nuqta, chiziqcha yoki pastki chiziqdan iborat boʻlishi kerak.',
    IDEMPOTENCY_MISMATCH: 'Bu Idempotency-Key boshqa soʻrov uchun allaqachon ishlatilgan.',
    INTERNAL: 'Server tomonida xatolik yuz berdi. U jurnalga yozildi (soʻrov {requestId}).',
    SERVICE_UNAVAILABLE: 'Server toʻxtamoqda yoki hali tayyor emas. Birozdan keyin qayta urining.',
  },
};

export type Translator = (locale: Locale, code: string, params?: Record<string, string | number>) => string;

/** Builds the message lookup over the core's and every module's catalogue. */
export function createTranslator(catalogues: MessageCatalogue[]): Translator {
  const merged: MessageCatalogue = { en: {}, ru: {}, uz: {} };
  for (const catalogue of catalogues) {
    for (const locale of Object.keys(merged) as Locale[]) Object.assign(merged[locale], catalogue[locale]);
  }
  return (locale, code, params = {}) => {
    const template = merged[locale][code] ?? merged.en[code] ?? code;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };
}
