// The demo company's staff: one account per built-in role, so every screen has its user.
export const DEMO_PASSWORD = 'demo-parol-2026';

export const DEMO_STAFF = [
  { email: 'dilshod.karimov@demo.uz', name: 'Dilshod Karimov', roles: ['sales_head'], locale: 'uz' },
  { email: 'malika.yusupova@demo.uz', name: 'Malika Yusupova', roles: ['sales_manager'], locale: 'uz' },
  { email: 'jasur.rahimov@demo.uz', name: 'Jasur Rahimov', roles: ['sales_manager'], locale: 'ru' },
  { email: 'nodira.alimova@demo.uz', name: 'Nodira Alimova', roles: ['sales_manager'], locale: 'uz' },
  { email: 'bekzod.tursunov@demo.uz', name: 'Bekzod Tursunov', roles: ['warehouse'], locale: 'uz' },
  { email: 'sherzod.nazarov@demo.uz', name: 'Sherzod Nazarov', roles: ['warehouse'], locale: 'ru' },
  { email: 'gulnora.saidova@demo.uz', name: 'Gulnora Saidova', roles: ['hr'], locale: 'uz' },
  { email: 'aziz.ergashev@demo.uz', name: 'Aziz Ergashev', roles: ['employee'], locale: 'uz' },
  { email: 'shahnoza.qodirova@demo.uz', name: 'Shahnoza Qodirova', roles: ['employee'], locale: 'ru' },
] as const;
