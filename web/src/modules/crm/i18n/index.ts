import en from './en.json';
import ru from './ru.json';
import uz from './uz.json';

/** The CRM module's texts; every key starts with "crm.". */
export const catalogues = { name: 'crm', uz, ru, en };
