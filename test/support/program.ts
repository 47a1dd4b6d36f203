import request from 'supertest';

/** A complete profile, as an admin would set it before going live. */
export const COMPLETE_PROFILE = {
  companyName: 'Acme Inc',
  productName: 'Beacon',
  senderName: 'Acme Customer Success',
  senderEmail: 'nps@acme.example',
};

/** Sets the profile (and any rules) through the admin API and turns the program live. */
export async function goLive(url: string, auth: { Authorization: string }, rules: Record<string, unknown> = { enterpriseEscalation: false }): Promise<void> {
  const res = await request(url)
    .put('/api/program')
    .set(auth)
    .send({ ...COMPLETE_PROFILE, rules, live: true });
  if (res.status !== 200) throw new Error(`going live answered ${res.status}: ${JSON.stringify(res.body)}`);
}
