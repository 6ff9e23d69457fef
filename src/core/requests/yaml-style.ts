import { isCollection, isScalar, Scalar, type Document } from "yaml";

/** Short lists of IDs read best on one line: criteria: [CC8.1, CC7.2]. */
const FLOW = [
  ["criteria"],
  ["source"],
  ["suggested", "controls"],
  ["suggested", "policies"],
  ["answer", "controls"],
];
/** Dates are quoted, as every file of the repository writes them (docs/formats.md, conventions). */
const DATES = [["due"], ["answer", "answered_on"]];

/** The house style of a request file, applied after an import or an answer changed it. */
export function styleRequest(doc: Document): void {
  for (const path of FLOW) {
    const node = doc.getIn(path, true);
    if (isCollection(node)) node.flow = true;
  }
  for (const path of DATES) {
    const node = doc.getIn(path, true);
    if (isScalar(node) && typeof node.value === "string") node.type = Scalar.QUOTE_DOUBLE;
  }
}

/** The text of a request file. */
export const requestText = (doc: Document) =>
  doc.toString({ lineWidth: 100, flowCollectionPadding: false });
