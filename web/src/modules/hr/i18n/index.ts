import en from './en.json';
import ru from './ru.json';
import uz from './uz.json';

/** The HR module's texts; every key starts with "hr.". */
export const catalogues = { name: 'hr', uz, ru, en };
