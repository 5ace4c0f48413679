export type FaultType =
	| '400'
	| '401'
	| '402'
	| '404'
	| '422'
	| '429'
	| '500'
	| '502'
	| '503'
	| '504'
	| 'reset'
	| 'reset-mid'
	| 'hang'
	| 'hang-keepalive'
	| 'slow'
	| 'truncate'
	| 'html'
	| 'nochoices'
	/** A stream that starts, then carries an error object naming the key, as some proxies send. */
	| 'stream-error';

export interface Fault {
	type: FaultType | null;
	/** Apply to the next n matching requests only. */
	times?: number;
	/** Seconds, for 429. */
	retryAfter?: number;
	/** For 'slow'. */
	delayMs?: number;
	only?: 'chat' | 'models';
}

export interface Tuning {
	latencyMs: number;
	tokenDelayMs: number;
	replyTokens: number | undefined;
	keepAliveIntervalMs: number;
	maxConcurrency: number;
	/** Numbers every answer, so a retried answer differs from the broken one. */
	numberAnswers: boolean;
}

export interface SimulatorOptions extends Partial<Tuning> {
	host?: string;
	port?: number;
	name?: string;
	apiKey?: string;
	log?: boolean;
	fault?: Fault | null;
	maxLog?: number;
}

export interface LoggedRequest {
	seq: number;
	at: number;
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	model: string | null;
	stream: boolean;
	messages: unknown[] | null;
	authorized: boolean;
	fault: string | null;
	status: number;
}

export interface Simulator {
	url: string;
	port: number;
	name: string;
	requests: LoggedRequest[];
	stats(): { total: number; inFlight: number; maxInFlight: number };
	setFault(fault: Fault | null): void;
	configure(partial: Partial<Tuning>): void;
	reset(): void;
	close(): Promise<void>;
}

export const MODELS: string[];
export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;

/** A loopback URL where nothing listens: connections to it are refused at once. */
export function refusedUrl(): Promise<string>;
