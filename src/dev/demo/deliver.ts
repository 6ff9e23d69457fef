import { createHmac, randomUUID } from "node:crypto";

export interface Delivery {
  id: string;
  event: string;
  payload: Record<string, unknown>;
}

export interface DeliveryResult {
  delivery: Delivery;
  status: number;
}

/** Signs a delivery the way GitHub does (X-Hub-Signature-256: HMAC-SHA256 of the body with the webhook secret). */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Sends one signed webhook delivery to the App, as GitHub would. */
export async function deliver(
  webhookUrl: string,
  secret: string,
  delivery: Delivery,
): Promise<DeliveryResult> {
  const body = JSON.stringify(delivery.payload);
  const response = await fetch(webhookUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/soc2-as-code-demo",
      "x-github-event": delivery.event,
      "x-github-delivery": delivery.id,
      "x-hub-signature-256": signature(secret, body),
    },
    body,
  });
  await response.arrayBuffer();
  return { delivery, status: response.status };
}

export function newDeliveryId(): string {
  return randomUUID();
}
