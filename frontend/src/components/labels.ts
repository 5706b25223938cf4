/** Enum values the server sends, in the order forms offer them. */
export const RESIDENCE_STATUSES = [
  "PERMANENT",
  "LONG_TERM_PERMIT",
  "LONG_TERM_VISA",
  "SHORT_STAY",
  "EU_FAMILY_MEMBER",
  "TEMPORARY_PROTECTION",
  "SPECIAL_LONG_TERM",
  "ASYLUM",
  "SUBSIDIARY_PROTECTION",
  "PROTECTION_APPLICANT",
  "EU_CITIZEN",
] as const;

export const SEXES = ["FEMALE", "MALE", "OTHER"] as const;

export const INTERVENTION_KINDS = [
  "SOCIAL_COUNSELLING",
  "LEGAL_COUNSELLING",
  "INTERCULTURAL_WORK",
  "ACCOMPANIMENT",
  "INFORMATION_SERVICE",
  "FIELD_CONTACT",
  "CRISIS_HELP",
] as const;

export const SERVICE_FORMS = ["OFFICE", "FIELD", "ONLINE", "PHONE", "EMAIL"] as const;

export const TOPICS = [
  "RESIDENCE",
  "EMPLOYMENT",
  "HOUSING",
  "SOCIAL_SYSTEM",
  "EDUCATION",
  "HEALTH_INSURANCE",
  "BUSINESS",
  "FAMILY",
] as const;

/** Nationalities offered first (the largest groups served), then the rest
 * by name; any ISO 3166-1 code is accepted. */
export const COMMON_NATIONALITIES = ["UA", "VN", "RU", "SK", "MN", "BY", "KZ", "MD", "PH", "IN", "SY", "AF", "CN", "TR", "US"];

/** Languages offered first. */
export const COMMON_LANGUAGES = ["uk", "ru", "vi", "cs", "en", "mn", "ar", "fa", "fr", "es", "de", "tr", "zh", "ro", "kk"];

/** Every ISO 3166-1 alpha-2 code (the server accepts exactly these). */
export const ALL_COUNTRIES =
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW".split(
    " ",
  );

export const COURSE_KINDS = [
  "CZECH_LANGUAGE",
  "CONVERSATION",
  "CHILDREN",
  "VOCATIONAL_CZECH",
  "SOCIOCULTURAL",
  "ADAPTATION_INTEGRATION",
] as const;

/** Course kinds taught at a CEFR level. */
export const LEVELLED_KINDS: readonly string[] = ["CZECH_LANGUAGE", "CONVERSATION", "CHILDREN", "VOCATIONAL_CZECH"];

export const LEVELS = ["A0", "A1", "A2", "B1", "B2"] as const;

/** RFC 5545 weekday codes, Monday first. */
export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

export const MARKS = ["PRESENT", "LATE", "EXCUSED", "ABSENT"] as const;

export const EVENT_KINDS = [
  "LECTURE_FOR_FOREIGNERS",
  "LECTURE_FOR_PUBLIC",
  "MULTICULTURAL",
  "SCHOOL_TALK",
  "TRAINING_FOR_OFFICIALS",
  "TRAINING_FOR_EMPLOYERS",
  "REGIONAL_PLATFORM",
  "INFORMATION_CAMPAIGN",
] as const;

export const AUDIENCES = ["THIRD_COUNTRY_NATIONALS", "MAJORITY_SOCIETY", "OFFICIALS"] as const;
