/** The fields of a request list the import reads, in the order a list usually has them. */
export type RequestField = "id" | "description" | "criteria" | "due" | "sample" | "controls";

export const FIELD_LABEL: Record<RequestField, string> = {
  id: "request ID",
  description: "description",
  criteria: "criteria",
  due: "due date",
  sample: "sample needed",
  controls: "controls",
};

/**
 * Header names real request lists use for each field, normalized (see normalizeHeader). Audit
 * firms' templates differ: "PBC #", "Ref", "Request Description", "TSC", "Date Due",
 * "Population/Sample"…
 */
const SYNONYMS: Record<RequestField, readonly string[]> = {
  id: [
    "id",
    "requestid",
    "requestno",
    "requestnumber",
    "requestref",
    "requestreference",
    "ref",
    "refno",
    "reference",
    "referenceno",
    "pbc",
    "pbcno",
    "pbcid",
    "pbcnumber",
    "pbcref",
    "item",
    "itemno",
    "itemnumber",
    "itemid",
    "no",
    "number",
    "irlno",
    "irlid",
  ],
  description: [
    "request",
    "description",
    "requestdescription",
    "requestdetails",
    "requestitem",
    "details",
    "itemdescription",
    "pbcrequest",
    "pbcdescription",
    "pbcitem",
    "documentrequested",
    "documentsrequested",
    "evidencerequested",
    "informationrequested",
    "requestedinformation",
    "requestedevidence",
  ],
  criteria: [
    "tsc",
    "tscs",
    "tscreference",
    "tscref",
    "criteria",
    "criterion",
    "criteriareference",
    "criteriaref",
    "trustservicescriteria",
    "soc2criteria",
    "relatedcriteria",
    "mappedcriteria",
    "commoncriteria",
  ],
  due: ["due", "duedate", "datedue", "dueby", "deadline", "targetdate", "neededby"],
  sample: [
    "sample",
    "samplerequired",
    "samplesrequired",
    "sampleneeded",
    "populationsample",
    "samplepopulation",
    "populationorsample",
    "sampling",
    "sampleselection",
  ],
  controls: ["control", "controls", "controlid", "controlids", "controlref", "controlreference"],
};

const BY_NAME = new Map<string, RequestField>(
  (Object.entries(SYNONYMS) as Array<[RequestField, readonly string[]]>).flatMap(([field, names]) =>
    names.map((n) => [n, field] as const),
  ),
);

/** Case, spaces and punctuation do not matter; "#" reads as "no" ("PBC #" is "PBC No."). */
export function normalizeHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/#/g, "no")
    .replace(/[^a-z0-9]/g, "");
}

export function fieldOfHeader(text: string): RequestField | undefined {
  return BY_NAME.get(normalizeHeader(text));
}

/** A few of the header names each field accepts, for a message that says how to fix a list. */
export function exampleHeaders(field: RequestField): string {
  const examples: Record<RequestField, string> = {
    id: '"Request ID", "PBC #", "Ref" or "Item"',
    description: '"Request", "Description" or "Request Description"',
    criteria: '"TSC", "Criteria" or "Criteria Reference"',
    due: '"Due", "Due Date" or "Date Due"',
    sample: '"Sample", "Sample Required" or "Population/Sample"',
    controls: '"Control" or "Control ID"',
  };
  return examples[field];
}

/** Column letters as a spreadsheet shows them: 1 is A, 27 is AA. */
export function columnLetter(column: number): string {
  let n = column;
  let out = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
