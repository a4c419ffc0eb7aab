export async function seedHrDemo(): Promise<void> {}
