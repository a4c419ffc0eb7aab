// The intake module's error texts in the three languages.
import type { MessageCatalogue } from '../../server/core/messages.js';

export const intakeMessages: MessageCatalogue = {
  en: {
    INTAKE_CONTACT_REQUIRED: 'Leave a phone number or an e-mail so that we can reach you.',
    INTAKE_SPAM_SUSPECTED: 'The form was not filled in by a person. Please fill it in again.',
    INTAKE_NO_CANDIDATES: 'Nobody in "{pool}" can take the lead.',
  },
  ru: {
    INTAKE_CONTACT_REQUIRED: 'Оставьте телефон или e-mail, чтобы мы могли с вами связаться.',
    INTAKE_SPAM_SUSPECTED: 'Форма заполнена не человеком. Пожалуйста, заполните её ещё раз.',
    INTAKE_NO_CANDIDATES: 'В «{pool}» некому передать заявку.',
  },
  uz: {
    INTAKE_CONTACT_REQUIRED: 'Siz bilan bogʻlanishimiz uchun telefon yoki e-pochtangizni qoldiring.',
    INTAKE_SPAM_SUSPECTED: 'Shakl inson tomonidan toʻldirilmagan. Iltimos, qaytadan toʻldiring.',
    INTAKE_NO_CANDIDATES: '"{pool}" da arizani oladigan xodim yoʻq.',
  },
};
