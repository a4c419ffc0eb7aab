// Demo data for `npm run seed:demo`: a believable Uzbek company's departments, about 25
// employees (some linked to the demo accounts), their history and absences. Departments are
// found by code and employees by work e-mail, so running it again adds nothing twice.

import type { ActionContext } from '../../server/core/module.js';
import { tashkentDate } from '../../server/core/tashkent-time.js';

type Dept = { code: string; name: string; parent?: string };

const DEPARTMENTS: Dept[] = [
  { code: 'rahbariyat', name: 'Rahbariyat' },
  { code: 'savdo', name: 'Savdo boʻlimi', parent: 'rahbariyat' },
  { code: 'chakana_savdo', name: 'Chakana savdo', parent: 'savdo' },
  { code: 'ulgurji_savdo', name: 'Ulgurji savdo', parent: 'savdo' },
  { code: 'ombor', name: 'Ombor', parent: 'rahbariyat' },
  { code: 'buxgalteriya', name: 'Buxgalteriya', parent: 'rahbariyat' },
  { code: 'kadrlar', name: 'Kadrlar boʻlimi', parent: 'rahbariyat' },
  { code: 'it', name: 'Axborot texnologiyalari boʻlimi', parent: 'rahbariyat' },
];

type Person = {
  first: string;
  last: string;
  dept: string;
  position: string;
  hired: string;
  born: string;
  salary: string;
  /** The login of a demo account (server/cli/demo-staff.ts) to link, if any. */
  user?: string;
  head?: boolean;
  manager?: string;
  female?: boolean;
};

const PEOPLE: Person[] = [
  {
    first: 'Rustam',
    last: 'Karimov',
    dept: 'rahbariyat',
    position: 'Direktor',
    hired: '2016-04-01',
    born: '1972-03-15',
    salary: '28000000',
    head: true,
  },
  {
    first: 'Zarina',
    last: 'Abdullayeva',
    dept: 'rahbariyat',
    position: 'Direktor oʻrinbosari',
    hired: '2018-02-12',
    born: '1980-11-02',
    salary: '21000000',
    female: true,
    manager: 'rustam.karimov',
  },
  {
    first: 'Madina',
    last: 'Yoqubova',
    dept: 'rahbariyat',
    position: 'Kotiba',
    hired: '2022-09-05',
    born: '1998-06-21',
    salary: '5500000',
    female: true,
    manager: 'rustam.karimov',
  },
  {
    first: 'Dilshod',
    last: 'Karimov',
    dept: 'savdo',
    position: 'Savdo boʻlimi boshligʻi',
    hired: '2019-03-11',
    born: '1985-07-09',
    salary: '16000000',
    head: true,
    user: 'dilshod.karimov',
  },
  {
    first: 'Otabek',
    last: 'Saidov',
    dept: 'chakana_savdo',
    position: 'Chakana savdo rahbari',
    hired: '2020-01-20',
    born: '1990-01-30',
    salary: '11000000',
    head: true,
  },
  {
    first: 'Malika',
    last: 'Yusupova',
    dept: 'chakana_savdo',
    position: 'Savdo menejeri',
    hired: '2021-06-01',
    born: '1995-05-14',
    salary: '8000000',
    female: true,
    user: 'malika.yusupova',
  },
  {
    first: 'Jasur',
    last: 'Rahimov',
    dept: 'chakana_savdo',
    position: 'Savdo menejeri',
    hired: '2022-02-14',
    born: '1996-09-03',
    salary: '7800000',
    user: 'jasur.rahimov',
  },
  {
    first: 'Dilnoza',
    last: 'Ergasheva',
    dept: 'chakana_savdo',
    position: 'Kassir',
    hired: '2023-04-03',
    born: '2000-12-12',
    salary: '5200000',
    female: true,
  },
  {
    first: 'Nodira',
    last: 'Alimova',
    dept: 'ulgurji_savdo',
    position: 'Savdo menejeri',
    hired: '2021-10-18',
    born: '1993-02-25',
    salary: '8500000',
    female: true,
    user: 'nodira.alimova',
  },
  {
    first: 'Sardor',
    last: 'Toshmatov',
    dept: 'ulgurji_savdo',
    position: 'Savdo menejeri',
    hired: '2023-08-07',
    born: '1997-08-17',
    salary: '7500000',
  },
  {
    first: 'Feruza',
    last: 'Nurmatova',
    dept: 'ulgurji_savdo',
    position: 'Savdo agenti',
    hired: '2024-03-04',
    born: '2001-04-08',
    salary: '6000000',
    female: true,
  },
  {
    first: 'Bekzod',
    last: 'Tursunov',
    dept: 'ombor',
    position: 'Ombor mudiri',
    hired: '2018-07-16',
    born: '1984-10-10',
    salary: '12000000',
    head: true,
    user: 'bekzod.tursunov',
  },
  {
    first: 'Sherzod',
    last: 'Nazarov',
    dept: 'ombor',
    position: 'Omborchi',
    hired: '2020-11-02',
    born: '1992-03-27',
    salary: '6500000',
    user: 'sherzod.nazarov',
  },
  {
    first: 'Ulugʻbek',
    last: 'Hamidov',
    dept: 'ombor',
    position: 'Yuk tashuvchi',
    hired: '2022-05-23',
    born: '1999-07-01',
    salary: '5000000',
  },
  {
    first: 'Jamshid',
    last: 'Qosimov',
    dept: 'ombor',
    position: 'Omborchi',
    hired: '2021-03-15',
    born: '1994-12-30',
    salary: '6200000',
  },
  {
    first: 'Dilfuza',
    last: 'Mirzayeva',
    dept: 'buxgalteriya',
    position: 'Bosh buxgalter',
    hired: '2017-09-01',
    born: '1978-01-19',
    salary: '17000000',
    female: true,
    head: true,
  },
  {
    first: 'Shoira',
    last: 'Xolmatova',
    dept: 'buxgalteriya',
    position: 'Buxgalter',
    hired: '2020-02-10',
    born: '1988-06-06',
    salary: '9000000',
    female: true,
  },
  {
    first: 'Aziz',
    last: 'Ergashev',
    dept: 'buxgalteriya',
    position: 'Buxgalter',
    hired: '2023-01-09',
    born: '1997-11-23',
    salary: '7000000',
    user: 'aziz.ergashev',
  },
  {
    first: 'Gulnora',
    last: 'Saidova',
    dept: 'kadrlar',
    position: 'Kadrlar boʻlimi boshligʻi',
    hired: '2019-05-06',
    born: '1983-04-04',
    salary: '13000000',
    female: true,
    head: true,
    user: 'gulnora.saidova',
  },
  {
    first: 'Shahnoza',
    last: 'Qodirova',
    dept: 'kadrlar',
    position: 'Kadrlar boʻyicha mutaxassis',
    hired: '2022-11-14',
    born: '1996-02-09',
    salary: '7200000',
    female: true,
    user: 'shahnoza.qodirova',
  },
  {
    first: 'Bobur',
    last: 'Aliyev',
    dept: 'it',
    position: 'IT boʻlimi boshligʻi',
    hired: '2019-08-19',
    born: '1987-09-13',
    salary: '18000000',
    head: true,
  },
  {
    first: 'Sanjar',
    last: 'Usmonov',
    dept: 'it',
    position: 'Dasturchi',
    hired: '2021-04-12',
    born: '1995-10-31',
    salary: '14000000',
  },
  {
    first: 'Kamola',
    last: 'Rasulova',
    dept: 'it',
    position: 'Tizim administratori',
    hired: '2022-07-25',
    born: '1998-03-18',
    salary: '10000000',
    female: true,
  },
  {
    first: 'Laziz',
    last: 'Sobirov',
    dept: 'ombor',
    position: 'Omborchi',
    hired: '2024-09-02',
    born: '2002-05-05',
    salary: '5400000',
  },
  {
    first: 'Nilufar',
    last: 'Tojiyeva',
    dept: 'buxgalteriya',
    position: 'Kassir',
    hired: '2024-01-15',
    born: '1999-08-28',
    salary: '5600000',
    female: true,
  },
];

const REGIONS = [
  'Toshkent shahri, Chilonzor tumani',
  'Toshkent shahri, Yunusobod tumani',
  'Toshkent viloyati, Qibray tumani',
  'Toshkent shahri, Mirzo Ulugʻbek tumani',
];

const key = (p: Person) => `${p.first.toLowerCase().replace(/ʻ/g, '')}.${p.last.toLowerCase()}`;
const workEmail = (p: Person) => `${key(p)}@onebox-demo.uz`;

/** A PINFL consistent with the birth date: sex and century, DDMMYY, then a serial. */
function pinflOf(p: Person, n: number): string {
  const [y, m, d] = p.born.split('-') as [string, string, string];
  const first = Number(y) >= 2000 ? (p.female ? 6 : 5) : p.female ? 4 : 3;
  return `${first}${d}${m}${y.slice(2)}${String(2610000 + n * 37).slice(0, 7)}`;
}

type Page<T> = { items: T[] };

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Fills HR with the demo company; safe to run again. */
export async function seedHrDemo(ctx: ActionContext): Promise<void> {
  const departments = new Map<string, string>();
  const existingDepts = await ctx.call<Page<{ id: string; code: string }>>('hr.listDepartments', {
    limit: 500,
  });
  for (const d of existingDepts.items) departments.set(d.code, d.id);
  for (const dept of DEPARTMENTS) {
    if (departments.has(dept.code)) continue;
    const created = await ctx.call<{ id: string }>('hr.createDepartment', {
      name: dept.name,
      code: dept.code,
      parentId: dept.parent ? departments.get(dept.parent) : null,
    });
    departments.set(dept.code, created.id);
  }

  const employees = new Map<string, string>();
  const fresh: Person[] = [];
  for (const [n, person] of PEOPLE.entries()) {
    const email = workEmail(person);
    const found = await ctx.call<Page<{ id: string; workEmail: string | null }>>('hr.listEmployees', {
      q: email,
    });
    const existing = found.items.find((e) => e.workEmail === email);
    if (existing) {
      employees.set(key(person), existing.id);
      continue;
    }
    let userId: string | null = null;
    if (person.user) {
      const users = await ctx.call<Page<{ id: string; email: string }>>('admin.listUsers', {
        q: `${person.user}@demo.uz`,
      });
      const user = users.items.find((u) => u.email === `${person.user}@demo.uz`);
      const linked = user
        ? await ctx.call<Page<{ id: string }>>('hr.listEmployees', { userId: user.id })
        : { items: [] };
      if (user && linked.items.length === 0) userId = user.id;
    }
    const created = await ctx.call<{ id: string }>('hr.createEmployee', {
      firstName: person.first,
      lastName: person.last,
      departmentId: departments.get(person.dept),
      position: person.position,
      hireDate: person.hired,
      managerId: person.manager ? (employees.get(person.manager) ?? null) : null,
      userId,
      workEmail: email,
      workPhone: `+998 71 200 ${String(10 + n).padStart(2, '0')} ${String(40 + n).padStart(2, '0')}`,
      birthDate: person.born,
      pinfl: pinflOf(person, n),
      passport: `A${String.fromCharCode(65 + (n % 26))}${String(1234567 + n * 7919).slice(0, 7)}`,
      address: `${REGIONS[n % REGIONS.length]}, ${n + 3}-uy`,
      // The hiring salary; raises come later in the history.
      salary: String(Math.round((Number(person.salary) * 0.8) / 100000) * 100000),
    });
    employees.set(key(person), created.id);
    fresh.push(person);
  }

  for (const person of fresh) {
    const id = employees.get(key(person))!;
    if (person.head) {
      await ctx.call('hr.updateDepartment', { id: departments.get(person.dept), headEmployeeId: id });
    }
    // A raise a year after hiring, to the salary of today.
    await ctx.call('hr.changeSalary', {
      id,
      date: addDays(person.hired, 365),
      salary: person.salary,
      note: 'Yillik baholash natijasi',
    });
  }

  const fresher = new Set(fresh.map(key));
  const id = (k: string) => (fresher.has(k) ? employees.get(k) : undefined);
  // Malika started in wholesale and moved to retail; Jasur was promoted.
  const malika = id('malika.yusupova');
  if (malika) {
    await ctx.call('hr.transferEmployee', {
      id: malika,
      date: '2024-09-01',
      departmentId: departments.get('chakana_savdo'),
      position: 'Katta savdo menejeri',
      note: 'Chakana savdoni kuchaytirish',
    });
  }
  const jamshid = id('jamshid.qosimov');
  if (jamshid)
    await ctx.call('hr.dismissEmployee', { id: jamshid, date: '2025-09-30', note: 'Oʻz xohishiga koʻra' });

  // Absences around today, so that this month's calendar has something to show.
  const today = tashkentDate();
  const monthStart = `${today.slice(0, 8)}01`;
  const absences: [string, 'vacation' | 'sick' | 'trip', number, number, 'record' | 'request'][] = [
    ['malika.yusupova', 'vacation', 3, 14, 'record'],
    ['sherzod.nazarov', 'sick', 8, 3, 'record'],
    ['nodira.alimova', 'trip', 12, 4, 'record'],
    ['jasur.rahimov', 'vacation', 20, 7, 'request'],
    ['sanjar.usmonov', 'vacation', 35, 10, 'request'],
    ['shoira.xolmatova', 'trip', 1, 2, 'record'],
    ['otabek.saidov', 'vacation', 45, 14, 'record'],
  ];
  for (const [who, type, offset, days, how] of absences) {
    const employeeId = id(who);
    if (!employeeId) continue;
    const from = addDays(monthStart, offset);
    await ctx.call(how === 'record' ? 'hr.recordAbsence' : 'hr.requestAbsence', {
      employeeId,
      type,
      from,
      to: addDays(from, days - 1),
    });
  }
  const aziz = id('aziz.ergashev');
  if (aziz)
    await ctx.call('hr.setVacationAllowance', { id: aziz, year: Number(today.slice(0, 4)), days: 24 });
}
