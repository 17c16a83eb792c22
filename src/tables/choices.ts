/**
 * Choice (option set) values the library uses, with their English labels.
 *
 * Each choice comes as a pair: a constant object naming the values (`ProcessingStatus.Invoiced`), with a type of
 * the same name for the union of its values, and a label map (`processingStatusLabels`) that the table
 * declarations use as the column's `options`, so the values code compares with and the values the emulator
 * accepts come from one place.
 *
 * Values are those of the real Dataverse tables (shared/reference/dataverse-columns.json). Where the reference
 * only gives the F&O enum names of a dual-write choice (`partiallyDelivered`), the label here is the readable
 * English the Supply Chain Management user interface shows ("Partially delivered").
 *
 * The label maps are written with literal keys (`192350000: 'Active', // ProcessingStatus.Active`), not computed
 * ones (`[ProcessingStatus.Active]: …`): a bundler cannot prove a computed key free of side effects, so every map
 * of this file ended up in every bundle that imported any of it. `satisfies Record<…, string>` still checks that
 * each map has exactly one label per value of its constant.
 *
 * @module
 */

// ---------------------------------------------------------------------------------------------------------------
// Sales order header (salesorder)

/**
 * The Supply Chain Management life cycle of a sales order, kept in `salesorder.msdyn_processingstatus` by
 * dual-write (the Dataverse `statecode` stays Active so that SCM updates keep flowing).
 */
export const ProcessingStatus = {
  /** Open order, no document posted yet. */
  Active: 192350000,
  /** Open order, confirmation posted. */
  Confirmed: 192350001,
  /** Open order, picking list posted. */
  Picked: 192350002,
  /** Open order, packing slip posted for part of the order. */
  PartiallyDelivered: 192350003,
  /** Delivered, packing slip posted for the whole order. */
  Delivered: 192350004,
  /** Invoiced in full. */
  Invoiced: 192350005,
  /** Part of the order is invoiced, the rest is still open. */
  PartiallyInvoiced: 192350006,
  /** Cancelled in SCM. */
  Cancelled: 192350007,
  /** Everything delivered, part of it invoiced. */
  DeliveredPartiallyInvoiced: 192350008,
} as const;
export type ProcessingStatus = (typeof ProcessingStatus)[keyof typeof ProcessingStatus];

export const processingStatusLabels = {
  192350000: 'Active', // ProcessingStatus.Active
  192350001: 'Confirmed', // ProcessingStatus.Confirmed
  192350002: 'Picked', // ProcessingStatus.Picked
  192350003: 'Partially delivered', // ProcessingStatus.PartiallyDelivered
  192350004: 'Delivered', // ProcessingStatus.Delivered
  192350005: 'Invoiced', // ProcessingStatus.Invoiced
  192350006: 'Partially invoiced', // ProcessingStatus.PartiallyInvoiced
  192350007: 'Cancelled', // ProcessingStatus.Cancelled
  192350008: 'Delivered, partially invoiced', // ProcessingStatus.DeliveredPartiallyInvoiced
} as const satisfies Record<ProcessingStatus, string>;

/** `salesorder.msdyn_ordertype`. Only item-based orders are synchronised to SCM by dual-write. */
export const OrderType = {
  ItemBased: 192350000,
  WorkBased: 192350001,
  /** The order type an order needs for dual-write to send it to SCM (= {@link OrderType.ItemBased}). */
  SyncToScm: 192350000,
} as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

export const orderTypeLabels = {
  192350000: 'Item based', // OrderType.ItemBased
  192350001: 'Work based', // OrderType.WorkBased
} as const satisfies Record<OrderType, string>;

/** `salesorder.statecode`. With dual-write an order stays {@link OrderState.Active}. */
export const OrderState = {
  Active: 0,
  Submitted: 1,
  Canceled: 2,
  Fulfilled: 3,
  Invoiced: 4,
} as const;
export type OrderState = (typeof OrderState)[keyof typeof OrderState];

export const orderStateLabels = {
  0: 'Active', // OrderState.Active
  1: 'Submitted', // OrderState.Submitted
  2: 'Canceled', // OrderState.Canceled
  3: 'Fulfilled', // OrderState.Fulfilled
  4: 'Invoiced', // OrderState.Invoiced
} as const satisfies Record<OrderState, string>;

/** `salesorder.statuscode` (status reason). */
export const OrderStatusReason = {
  New: 1,
  Pending: 2,
  InProgress: 3,
  NoMoney: 4,
  Complete: 100001,
  Partial: 100002,
  Invoiced: 100003,
} as const;
export type OrderStatusReason = (typeof OrderStatusReason)[keyof typeof OrderStatusReason];

export const orderStatusReasonLabels = {
  1: 'New', // OrderStatusReason.New
  2: 'Pending', // OrderStatusReason.Pending
  3: 'In Progress', // OrderStatusReason.InProgress
  4: 'No Money', // OrderStatusReason.NoMoney
  100001: 'Complete', // OrderStatusReason.Complete
  100002: 'Partial', // OrderStatusReason.Partial
  100003: 'Invoiced', // OrderStatusReason.Invoiced
} as const satisfies Record<OrderStatusReason, string>;

/**
 * `msdyn_language` on sales orders: the SCM language id of the order's documents. The labels are the SCM
 * language ids themselves (they are also BCP 47 tags, usable with `Intl`).
 */
export const Language = {
  Ar: 192350000,
  ArAe: 192350001,
  Cs: 192350002,
  Da: 192350003,
  De: 192350004,
  DeAt: 192350005,
  DeCh: 192350006,
  EnAu: 192350007,
  EnCa: 192350008,
  EnGb: 192350009,
  EnIe: 192350010,
  EnIn: 192350011,
  EnMy: 192350012,
  EnNz: 192350013,
  EnSg: 192350014,
  EnUs: 192350015,
  EnZa: 192350016,
  Es: 192350017,
  EsMx: 192350018,
  Et: 192350019,
  Fi: 192350020,
  Fr: 192350021,
  FrBe: 192350022,
  FrCa: 192350023,
  FrCh: 192350024,
  Hu: 192350025,
  Is: 192350026,
  It: 192350027,
  ItCh: 192350028,
  Ja: 192350029,
  Lt: 192350030,
  Lv: 192350031,
  NbNo: 192350032,
  Nl: 192350033,
  NlBe: 192350034,
  Pl: 192350035,
  PtBr: 192350036,
  Ru: 192350037,
  Sv: 192350038,
  Th: 192350039,
  Tr: 192350040,
  ZhHans: 192350041,
} as const;
export type Language = (typeof Language)[keyof typeof Language];

export const languageLabels = {
  192350000: 'ar', // Language.Ar
  192350001: 'ar-ae', // Language.ArAe
  192350002: 'cs', // Language.Cs
  192350003: 'da', // Language.Da
  192350004: 'de', // Language.De
  192350005: 'de-at', // Language.DeAt
  192350006: 'de-ch', // Language.DeCh
  192350007: 'en-au', // Language.EnAu
  192350008: 'en-ca', // Language.EnCa
  192350009: 'en-gb', // Language.EnGb
  192350010: 'en-ie', // Language.EnIe
  192350011: 'en-in', // Language.EnIn
  192350012: 'en-my', // Language.EnMy
  192350013: 'en-nz', // Language.EnNz
  192350014: 'en-sg', // Language.EnSg
  192350015: 'en-us', // Language.EnUs
  192350016: 'en-za', // Language.EnZa
  192350017: 'es', // Language.Es
  192350018: 'es-mx', // Language.EsMx
  192350019: 'et', // Language.Et
  192350020: 'fi', // Language.Fi
  192350021: 'fr', // Language.Fr
  192350022: 'fr-be', // Language.FrBe
  192350023: 'fr-ca', // Language.FrCa
  192350024: 'fr-ch', // Language.FrCh
  192350025: 'hu', // Language.Hu
  192350026: 'is', // Language.Is
  192350027: 'it', // Language.It
  192350028: 'it-ch', // Language.ItCh
  192350029: 'ja', // Language.Ja
  192350030: 'lt', // Language.Lt
  192350031: 'lv', // Language.Lv
  192350032: 'nb-no', // Language.NbNo
  192350033: 'nl', // Language.Nl
  192350034: 'nl-be', // Language.NlBe
  192350035: 'pl', // Language.Pl
  192350036: 'pt-br', // Language.PtBr
  192350037: 'ru', // Language.Ru
  192350038: 'sv', // Language.Sv
  192350039: 'th', // Language.Th
  192350040: 'tr', // Language.Tr
  192350041: 'zh-hans', // Language.ZhHans
} as const satisfies Record<Language, string>;

// ---------------------------------------------------------------------------------------------------------------
// Sales order line (salesorderdetail)

/** `salesorderdetail.msdyn_linestatus`: the SCM status of one order line. */
export const LineStatus = {
  /** Not yet known to SCM (a line that dual-write has not synchronised). */
  None: 192350000,
  /** Still to deliver; SCM shows it as "Open order". */
  Backorder: 192350001,
  Delivered: 192350002,
  Invoiced: 192350003,
  Cancelled: 192350004,
} as const;
export type LineStatus = (typeof LineStatus)[keyof typeof LineStatus];

export const lineStatusLabels = {
  192350000: 'None', // LineStatus.None
  192350001: 'Open order', // LineStatus.Backorder
  192350002: 'Delivered', // LineStatus.Delivered
  192350003: 'Invoiced', // LineStatus.Invoiced
  192350004: 'Cancelled', // LineStatus.Cancelled
} as const satisfies Record<LineStatus, string>;

// ---------------------------------------------------------------------------------------------------------------
// Account (customer) and contact

/** `account.msdyn_onholdstatus`: the SCM "Invoicing and delivery on hold" setting of a customer. */
export const OnHoldStatus = {
  /** Not on hold. */
  No: 806380000,
  /** On hold for invoicing. */
  Invoice: 806380001,
  /** On hold for everything: no new orders. */
  All: 806380002,
  /** On hold for payments. */
  Payment: 806380003,
  /** On hold for requisitions. */
  Requisition: 806380004,
  /** Never put on hold, even by the credit limit check. */
  Never: 806380005,
} as const;
export type OnHoldStatus = (typeof OnHoldStatus)[keyof typeof OnHoldStatus];

export const onHoldStatusLabels = {
  806380000: 'No', // OnHoldStatus.No
  806380001: 'Invoice', // OnHoldStatus.Invoice
  806380002: 'All', // OnHoldStatus.All
  806380003: 'Payment', // OnHoldStatus.Payment
  806380004: 'Requisition', // OnHoldStatus.Requisition
  806380005: 'Never', // OnHoldStatus.Never
} as const satisfies Record<OnHoldStatus, string>;

/** `statecode` of tables that are simply active or inactive (account, contact, price list, currency, …). */
export const ActiveState = { Active: 0, Inactive: 1 } as const;
export type ActiveState = (typeof ActiveState)[keyof typeof ActiveState];

export const activeStateLabels = {
  0: 'Active', // ActiveState.Active
  1: 'Inactive', // ActiveState.Inactive
} as const satisfies Record<ActiveState, string>;

/** `statuscode` of account, contact, currency and unit group. */
export const ActiveStatusReason = { Active: 1, Inactive: 2 } as const;
export type ActiveStatusReason = (typeof ActiveStatusReason)[keyof typeof ActiveStatusReason];

export const activeStatusReasonLabels = {
  1: 'Active', // ActiveStatusReason.Active
  2: 'Inactive', // ActiveStatusReason.Inactive
} as const satisfies Record<ActiveStatusReason, string>;

/**
 * `contact.mspp_userpreferredlcid`: the Power Pages user's preferred language, a Windows LCID. Only the languages
 * the seed and the portal use are declared (the real column has 45).
 */
export const PortalLanguage = {
  English: 1033,
  German: 1031,
  French: 1036,
  Spanish: 3082,
  Dutch: 1043,
  Danish: 1030,
  Swedish: 1053,
  Finnish: 1035,
  Italian: 1040,
  Polish: 1045,
  PortugueseBrazil: 1046,
  Japanese: 1041,
  ChineseChina: 2052,
} as const;
export type PortalLanguage = (typeof PortalLanguage)[keyof typeof PortalLanguage];

export const portalLanguageLabels = {
  1033: 'English', // PortalLanguage.English
  1031: 'German - Germany', // PortalLanguage.German
  1036: 'French - France', // PortalLanguage.French
  3082: 'Spanish (Traditional Sort) - Spain', // PortalLanguage.Spanish
  1043: 'Dutch - Netherlands', // PortalLanguage.Dutch
  1030: 'Danish - Denmark', // PortalLanguage.Danish
  1053: 'Swedish - Sweden', // PortalLanguage.Swedish
  1035: 'Finnish - Finland', // PortalLanguage.Finnish
  1040: 'Italian - Italy', // PortalLanguage.Italian
  1045: 'Polish - Poland', // PortalLanguage.Polish
  1046: 'Portuguese - Brazil', // PortalLanguage.PortugueseBrazil
  1041: 'Japanese - Japan', // PortalLanguage.Japanese
  2052: 'Chinese - China', // PortalLanguage.ChineseChina
} as const satisfies Record<PortalLanguage, string>;

/**
 * The order language (`salesorder.msdyn_language`) that goes with a contact's portal language: the Customer
 * portal writes the contact's language on the order it submits.
 */
export const orderLanguageByPortalLanguage = {
  1033: 192350015, // PortalLanguage.English → Language.EnUs
  1031: 192350004, // PortalLanguage.German → Language.De
  1036: 192350021, // PortalLanguage.French → Language.Fr
  3082: 192350017, // PortalLanguage.Spanish → Language.Es
  1043: 192350033, // PortalLanguage.Dutch → Language.Nl
  1030: 192350003, // PortalLanguage.Danish → Language.Da
  1053: 192350038, // PortalLanguage.Swedish → Language.Sv
  1035: 192350020, // PortalLanguage.Finnish → Language.Fi
  1040: 192350027, // PortalLanguage.Italian → Language.It
  1045: 192350035, // PortalLanguage.Polish → Language.Pl
  1046: 192350036, // PortalLanguage.PortugueseBrazil → Language.PtBr
  1041: 192350029, // PortalLanguage.Japanese → Language.Ja
  2052: 192350041, // PortalLanguage.ChineseChina → Language.ZhHans
} as const satisfies Record<PortalLanguage, Language>;

/**
 * Purposes (SCM "roles") of a party's postal address, as listed in
 * `msdyn_partypostaladdress.msdyn_postaladdresspurposenames` (several are joined with `;`).
 */
export const AddressPurpose = {
  Delivery: 'Delivery',
  Invoice: 'Invoice',
  Business: 'Business',
} as const;
export type AddressPurpose = (typeof AddressPurpose)[keyof typeof AddressPurpose];

// ---------------------------------------------------------------------------------------------------------------
// Product, price list

/** `product.statecode`. Only active products can be sold. */
export const ProductState = {
  Active: 0,
  Retired: 1,
  Draft: 2,
  UnderRevision: 3,
} as const;
export type ProductState = (typeof ProductState)[keyof typeof ProductState];

export const productStateLabels = {
  0: 'Active', // ProductState.Active
  1: 'Retired', // ProductState.Retired
  2: 'Draft', // ProductState.Draft
  3: 'Under Revision', // ProductState.UnderRevision
} as const satisfies Record<ProductState, string>;

/** `product.statuscode`. */
export const ProductStatusReason = {
  Draft: 0,
  Active: 1,
  Retired: 2,
  UnderRevision: 3,
} as const;
export type ProductStatusReason = (typeof ProductStatusReason)[keyof typeof ProductStatusReason];

export const productStatusReasonLabels = {
  0: 'Draft', // ProductStatusReason.Draft
  1: 'Active', // ProductStatusReason.Active
  2: 'Retired', // ProductStatusReason.Retired
  3: 'Under Revision', // ProductStatusReason.UnderRevision
} as const satisfies Record<ProductStatusReason, string>;

/** `product.producttypecode`. */
export const ProductType = {
  SalesInventory: 1,
  MiscellaneousCharges: 2,
  Services: 3,
  FlatFees: 4,
} as const;
export type ProductType = (typeof ProductType)[keyof typeof ProductType];

export const productTypeLabels = {
  1: 'Sales Inventory', // ProductType.SalesInventory
  2: 'Miscellaneous Charges', // ProductType.MiscellaneousCharges
  3: 'Services', // ProductType.Services
  4: 'Flat Fees', // ProductType.FlatFees
} as const satisfies Record<ProductType, string>;

/** `pricelevel.statuscode` (its own values, unlike most tables). */
export const PriceListStatusReason = { Active: 100001, Inactive: 100002 } as const;
export type PriceListStatusReason = (typeof PriceListStatusReason)[keyof typeof PriceListStatusReason];

export const priceListStatusReasonLabels = {
  100001: 'Active', // PriceListStatusReason.Active
  100002: 'Inactive', // PriceListStatusReason.Inactive
} as const satisfies Record<PriceListStatusReason, string>;

/** `productpricelevel.pricingmethodcode`. */
export const PricingMethod = {
  CurrencyAmount: 1,
  PercentOfList: 2,
  PercentMarkupCurrentCost: 3,
  PercentMarginCurrentCost: 4,
  PercentMarkupStandardCost: 5,
  PercentMarginStandardCost: 6,
} as const;
export type PricingMethod = (typeof PricingMethod)[keyof typeof PricingMethod];

export const pricingMethodLabels = {
  1: 'Currency Amount', // PricingMethod.CurrencyAmount
  2: 'Percent of List', // PricingMethod.PercentOfList
  3: 'Percent Markup - Current Cost', // PricingMethod.PercentMarkupCurrentCost
  4: 'Percent Margin - Current Cost', // PricingMethod.PercentMarginCurrentCost
  5: 'Percent Markup - Standard Cost', // PricingMethod.PercentMarkupStandardCost
  6: 'Percent Margin - Standard Cost', // PricingMethod.PercentMarginStandardCost
} as const satisfies Record<PricingMethod, string>;

/** `productpricelevel.quantitysellingcode`: whether fractional quantities may be sold. */
export const QuantitySelling = {
  NoControl: 1,
  Whole: 2,
  WholeAndFractional: 3,
} as const;
export type QuantitySelling = (typeof QuantitySelling)[keyof typeof QuantitySelling];

export const quantitySellingLabels = {
  1: 'No Control', // QuantitySelling.NoControl
  2: 'Whole', // QuantitySelling.Whole
  3: 'Whole and Fractional', // QuantitySelling.WholeAndFractional
} as const satisfies Record<QuantitySelling, string>;

// ---------------------------------------------------------------------------------------------------------------
// Invoice

/** `invoice.statecode`. */
export const InvoiceState = {
  Active: 0,
  Closed: 1,
  Paid: 2,
  Canceled: 3,
} as const;
export type InvoiceState = (typeof InvoiceState)[keyof typeof InvoiceState];

export const invoiceStateLabels = {
  0: 'Active', // InvoiceState.Active
  1: 'Closed (deprecated)', // InvoiceState.Closed
  2: 'Paid', // InvoiceState.Paid
  3: 'Canceled', // InvoiceState.Canceled
} as const satisfies Record<InvoiceState, string>;

/** `invoice.statuscode`. Unpaid invoices are Active/Billed; paid ones Paid/Complete (or Partial). */
export const InvoiceStatusReason = {
  New: 1,
  PartiallyShipped: 2,
  Billed: 4,
  Booked: 5,
  Installed: 6,
  Complete: 100001,
  Partial: 100002,
  Canceled: 100003,
} as const;
export type InvoiceStatusReason = (typeof InvoiceStatusReason)[keyof typeof InvoiceStatusReason];

export const invoiceStatusReasonLabels = {
  1: 'New', // InvoiceStatusReason.New
  2: 'Partially Shipped', // InvoiceStatusReason.PartiallyShipped
  4: 'Billed', // InvoiceStatusReason.Billed
  5: 'Booked (applies to services)', // InvoiceStatusReason.Booked
  6: 'Installed (applies to services)', // InvoiceStatusReason.Installed
  100001: 'Complete', // InvoiceStatusReason.Complete
  100002: 'Partial', // InvoiceStatusReason.Partial
  100003: 'Canceled', // InvoiceStatusReason.Canceled
} as const satisfies Record<InvoiceStatusReason, string>;
