/**
 * The Power Pages web roles of the Customer portal template (domain.md §1). Data only: which role may do what is
 * declared with the table permissions (the emulator's `permissions.ts`), not here.
 */
export type WebRole = 'administrator' | 'customer-representative' | 'authorized-user' | 'unauthorized-user';

export const webRoleLabels: Readonly<Record<WebRole, string>> = {
  administrator: 'Administrator',
  'customer-representative': 'Customer representative',
  'authorized-user': 'Authorized user',
  'unauthorized-user': 'Unauthorized user',
};
