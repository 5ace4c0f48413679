/** Which of the credential's URLs a request went to. */
export type EndpointRole = 'primary' | 'failover';

/** One URL of the credential, normalised, with its role. */
export interface Endpoint {
	role: EndpointRole;
	baseUrl: string;
}
