import en from './en.json';
import ru from './ru.json';
import uz from './uz.json';

/** The BPM pages' texts; every key starts with "bpm.". */
export const catalogues = { name: 'bpm', uz, ru, en };
