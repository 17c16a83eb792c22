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
  [ProcessingStatus.Active]: 'Active',
  [ProcessingStatus.Confirmed]: 'Confirmed',
  [ProcessingStatus.Picked]: 'Picked',
  [ProcessingStatus.PartiallyDelivered]: 'Partially delivered',
  [ProcessingStatus.Delivered]: 'Delivered',
  [ProcessingStatus.Invoiced]: 'Invoiced',
  [ProcessingStatus.PartiallyInvoiced]: 'Partially invoiced',
  [ProcessingStatus.Cancelled]: 'Cancelled',
  [ProcessingStatus.DeliveredPartiallyInvoiced]: 'Delivered, partially invoiced',
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
  [OrderType.ItemBased]: 'Item based',
  [OrderType.WorkBased]: 'Work based',
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
  [OrderState.Active]: 'Active',
  [OrderState.Submitted]: 'Submitted',
  [OrderState.Canceled]: 'Canceled',
  [OrderState.Fulfilled]: 'Fulfilled',
  [OrderState.Invoiced]: 'Invoiced',
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
  [OrderStatusReason.New]: 'New',
  [OrderStatusReason.Pending]: 'Pending',
  [OrderStatusReason.InProgress]: 'In Progress',
  [OrderStatusReason.NoMoney]: 'No Money',
  [OrderStatusReason.Complete]: 'Complete',
  [OrderStatusReason.Partial]: 'Partial',
  [OrderStatusReason.Invoiced]: 'Invoiced',
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
  [Language.Ar]: 'ar',
  [Language.ArAe]: 'ar-ae',
  [Language.Cs]: 'cs',
  [Language.Da]: 'da',
  [Language.De]: 'de',
  [Language.DeAt]: 'de-at',
  [Language.DeCh]: 'de-ch',
  [Language.EnAu]: 'en-au',
  [Language.EnCa]: 'en-ca',
  [Language.EnGb]: 'en-gb',
  [Language.EnIe]: 'en-ie',
  [Language.EnIn]: 'en-in',
  [Language.EnMy]: 'en-my',
  [Language.EnNz]: 'en-nz',
  [Language.EnSg]: 'en-sg',
  [Language.EnUs]: 'en-us',
  [Language.EnZa]: 'en-za',
  [Language.Es]: 'es',
  [Language.EsMx]: 'es-mx',
  [Language.Et]: 'et',
  [Language.Fi]: 'fi',
  [Language.Fr]: 'fr',
  [Language.FrBe]: 'fr-be',
  [Language.FrCa]: 'fr-ca',
  [Language.FrCh]: 'fr-ch',
  [Language.Hu]: 'hu',
  [Language.Is]: 'is',
  [Language.It]: 'it',
  [Language.ItCh]: 'it-ch',
  [Language.Ja]: 'ja',
  [Language.Lt]: 'lt',
  [Language.Lv]: 'lv',
  [Language.NbNo]: 'nb-no',
  [Language.Nl]: 'nl',
  [Language.NlBe]: 'nl-be',
  [Language.Pl]: 'pl',
  [Language.PtBr]: 'pt-br',
  [Language.Ru]: 'ru',
  [Language.Sv]: 'sv',
  [Language.Th]: 'th',
  [Language.Tr]: 'tr',
  [Language.ZhHans]: 'zh-hans',
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
  [LineStatus.None]: 'None',
  [LineStatus.Backorder]: 'Open order',
  [LineStatus.Delivered]: 'Delivered',
  [LineStatus.Invoiced]: 'Invoiced',
  [LineStatus.Cancelled]: 'Cancelled',
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
  [OnHoldStatus.No]: 'No',
  [OnHoldStatus.Invoice]: 'Invoice',
  [OnHoldStatus.All]: 'All',
  [OnHoldStatus.Payment]: 'Payment',
  [OnHoldStatus.Requisition]: 'Requisition',
  [OnHoldStatus.Never]: 'Never',
} as const satisfies Record<OnHoldStatus, string>;

/** `statecode` of tables that are simply active or inactive (account, contact, price list, currency, …). */
export const ActiveState = { Active: 0, Inactive: 1 } as const;
export type ActiveState = (typeof ActiveState)[keyof typeof ActiveState];

export const activeStateLabels = {
  [ActiveState.Active]: 'Active',
  [ActiveState.Inactive]: 'Inactive',
} as const satisfies Record<ActiveState, string>;

/** `statuscode` of account, contact, currency and unit group. */
export const ActiveStatusReason = { Active: 1, Inactive: 2 } as const;
export type ActiveStatusReason = (typeof ActiveStatusReason)[keyof typeof ActiveStatusReason];

export const activeStatusReasonLabels = {
  [ActiveStatusReason.Active]: 'Active',
  [ActiveStatusReason.Inactive]: 'Inactive',
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
  [PortalLanguage.English]: 'English',
  [PortalLanguage.German]: 'German - Germany',
  [PortalLanguage.French]: 'French - France',
  [PortalLanguage.Spanish]: 'Spanish (Traditional Sort) - Spain',
  [PortalLanguage.Dutch]: 'Dutch - Netherlands',
  [PortalLanguage.Danish]: 'Danish - Denmark',
  [PortalLanguage.Swedish]: 'Swedish - Sweden',
  [PortalLanguage.Finnish]: 'Finnish - Finland',
  [PortalLanguage.Italian]: 'Italian - Italy',
  [PortalLanguage.Polish]: 'Polish - Poland',
  [PortalLanguage.PortugueseBrazil]: 'Portuguese - Brazil',
  [PortalLanguage.Japanese]: 'Japanese - Japan',
  [PortalLanguage.ChineseChina]: 'Chinese - China',
} as const satisfies Record<PortalLanguage, string>;

/**
 * The order language (`salesorder.msdyn_language`) that goes with a contact's portal language: the Customer
 * portal writes the contact's language on the order it submits.
 */
export const orderLanguageByPortalLanguage = {
  [PortalLanguage.English]: Language.EnUs,
  [PortalLanguage.German]: Language.De,
  [PortalLanguage.French]: Language.Fr,
  [PortalLanguage.Spanish]: Language.Es,
  [PortalLanguage.Dutch]: Language.Nl,
  [PortalLanguage.Danish]: Language.Da,
  [PortalLanguage.Swedish]: Language.Sv,
  [PortalLanguage.Finnish]: Language.Fi,
  [PortalLanguage.Italian]: Language.It,
  [PortalLanguage.Polish]: Language.Pl,
  [PortalLanguage.PortugueseBrazil]: Language.PtBr,
  [PortalLanguage.Japanese]: Language.Ja,
  [PortalLanguage.ChineseChina]: Language.ZhHans,
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
  [ProductState.Active]: 'Active',
  [ProductState.Retired]: 'Retired',
  [ProductState.Draft]: 'Draft',
  [ProductState.UnderRevision]: 'Under Revision',
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
  [ProductStatusReason.Draft]: 'Draft',
  [ProductStatusReason.Active]: 'Active',
  [ProductStatusReason.Retired]: 'Retired',
  [ProductStatusReason.UnderRevision]: 'Under Revision',
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
  [ProductType.SalesInventory]: 'Sales Inventory',
  [ProductType.MiscellaneousCharges]: 'Miscellaneous Charges',
  [ProductType.Services]: 'Services',
  [ProductType.FlatFees]: 'Flat Fees',
} as const satisfies Record<ProductType, string>;

/** `pricelevel.statuscode` (its own values, unlike most tables). */
export const PriceListStatusReason = { Active: 100001, Inactive: 100002 } as const;
export type PriceListStatusReason = (typeof PriceListStatusReason)[keyof typeof PriceListStatusReason];

export const priceListStatusReasonLabels = {
  [PriceListStatusReason.Active]: 'Active',
  [PriceListStatusReason.Inactive]: 'Inactive',
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
  [PricingMethod.CurrencyAmount]: 'Currency Amount',
  [PricingMethod.PercentOfList]: 'Percent of List',
  [PricingMethod.PercentMarkupCurrentCost]: 'Percent Markup - Current Cost',
  [PricingMethod.PercentMarginCurrentCost]: 'Percent Margin - Current Cost',
  [PricingMethod.PercentMarkupStandardCost]: 'Percent Markup - Standard Cost',
  [PricingMethod.PercentMarginStandardCost]: 'Percent Margin - Standard Cost',
} as const satisfies Record<PricingMethod, string>;

/** `productpricelevel.quantitysellingcode`: whether fractional quantities may be sold. */
export const QuantitySelling = {
  NoControl: 1,
  Whole: 2,
  WholeAndFractional: 3,
} as const;
export type QuantitySelling = (typeof QuantitySelling)[keyof typeof QuantitySelling];

export const quantitySellingLabels = {
  [QuantitySelling.NoControl]: 'No Control',
  [QuantitySelling.Whole]: 'Whole',
  [QuantitySelling.WholeAndFractional]: 'Whole and Fractional',
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
  [InvoiceState.Active]: 'Active',
  [InvoiceState.Closed]: 'Closed (deprecated)',
  [InvoiceState.Paid]: 'Paid',
  [InvoiceState.Canceled]: 'Canceled',
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
  [InvoiceStatusReason.New]: 'New',
  [InvoiceStatusReason.PartiallyShipped]: 'Partially Shipped',
  [InvoiceStatusReason.Billed]: 'Billed',
  [InvoiceStatusReason.Booked]: 'Booked (applies to services)',
  [InvoiceStatusReason.Installed]: 'Installed (applies to services)',
  [InvoiceStatusReason.Complete]: 'Complete',
  [InvoiceStatusReason.Partial]: 'Partial',
  [InvoiceStatusReason.Canceled]: 'Canceled',
} as const satisfies Record<InvoiceStatusReason, string>;
