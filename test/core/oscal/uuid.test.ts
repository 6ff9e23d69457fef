import { describe, expect, it } from "vitest";
import { OSCAL_NAMESPACE, uuidV5 } from "../../../src/core/oscal/uuid.js";

describe("uuidV5", () => {
  it("gives RFC 4122 version 5 UUIDs, the same as other implementations", () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
    expect(uuidV5("python.org", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "886313e1-3b8a-5372-9b90-0c9aee199e5d",
    );
    // Python: uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/soc2-as-code/soc2-as-code/oscal")
    expect(OSCAL_NAMESPACE).toBe("92dce652-80a9-59b3-89f3-8fa2c5f72ec9");
  });
});
