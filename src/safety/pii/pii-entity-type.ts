/**
 * The entity types the PII detector reports. Names follow Microsoft Presidio's where Presidio has one, so
 * policies and reports read the same across tools.
 */
export const piiEntityTypes = [
  "EMAIL_ADDRESS",
  "PHONE_NUMBER",
  "CREDIT_CARD",
  "IBAN_CODE",
  "US_SSN",
  "IP_ADDRESS",
  "URL",
  "DOMAIN_NAME",
  "DATE_TIME",
  /** A date with birth context ("born", "DOB"): a narrower DATE_TIME, reported instead of it, never beside it. */
  "DATE_OF_BIRTH",
  "AGE",
  "PERSON",
  "TITLE",
  "LOCATION",
  "NRP",
  "ORGANIZATION",
  "STREET_ADDRESS",
  "ZIP_CODE",
  "US_DRIVER_LICENSE",
] as const;

export type PiiEntityType = (typeof piiEntityTypes)[number];
