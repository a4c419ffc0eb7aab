import en from './en.json';
import ru from './ru.json';
import uz from './uz.json';

/** The ERP module's texts; every key starts with "erp.". */
export const catalogues = { name: 'erp', uz, ru, en };
