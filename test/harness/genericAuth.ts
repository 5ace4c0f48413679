import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
} from 'n8n-workflow';

/**
 * What n8n does with a credential type's `authenticate` before a request: a function is called, a
 * generic template's headers are added with their expressions resolved (`={{$credentials.x}}` is
 * all this package's credential uses).
 */
export async function applyAuthentication(
	authenticate: ICredentialType['authenticate'],
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
	if (authenticate?.type !== 'generic') return requestOptions;
	const resolve = (value: unknown) =>
		typeof value === 'string' && value.startsWith('=')
			? value
					.slice(1)
					.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_all, key: string) =>
						String(credentials[key] ?? ''),
					)
			: value;
	const headers = { ...(requestOptions.headers ?? {}) };
	for (const [name, value] of Object.entries(authenticate.properties.headers ?? {})) {
		headers[name] = resolve(value) as string;
	}
	return { ...requestOptions, headers };
}
