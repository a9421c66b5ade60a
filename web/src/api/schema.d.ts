/**
 * GENERATED from the server's OpenAPI document by `npm run api:types` (web/scripts/api-types.ts).
 * Do not edit: change the route schemas in server/routes/ and regenerate.
 * test/web-api-types.test.ts fails when this file is stale.
 */
export interface paths {
    "/api/admin/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Executions, most recently changed first (operators; Authorization: Bearer ADMIN_TOKEN) */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    /** @description Comma-separated statuses: queued, voting, scheduled, executed, cancelled, failed. */
                    status?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** Format: date-time */
                                enqueuedAt: string | null;
                                /** Format: date-time */
                                eta: string | null;
                                executeBlock: string | null;
                                executeTx: string | null;
                                operationId: string | null;
                                proposalId: string;
                                reason: string | null;
                                scheduleTx: string | null;
                                status: "queued" | "voting" | "scheduled" | "executed" | "cancelled" | "failed";
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/executions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A proposal's execution: row, derived ids, the chain's view, pins, jobs, in-flight transactions (operators; Authorization: Bearer ADMIN_TOKEN) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            chain: {
                                /** Format: date-time */
                                governorEta: string | null;
                                governorState: string | null;
                                headBlock: number;
                                /** Format: date-time */
                                headTime: string;
                                operationState: string | null;
                                /** Format: date-time */
                                readyAt: string | null;
                            };
                            execution: {
                                /** Format: date-time */
                                enqueuedAt: string | null;
                                /** Format: date-time */
                                eta: string | null;
                                executeBlock: string | null;
                                executeTx: string | null;
                                operationId: string | null;
                                proposalId: string;
                                reason: string | null;
                                scheduleTx: string | null;
                                status: "queued" | "voting" | "scheduled" | "executed" | "cancelled" | "failed";
                                /** Format: date-time */
                                updatedAt: string;
                            } | null;
                            executionMode: string;
                            jobs: {
                                attemptsMade: number;
                                /** Format: date-time */
                                delayUntil: string | null;
                                failedReason: string | null;
                                id: string;
                                name: string;
                                state: string;
                            }[];
                            pendingTx: {
                                claimedAt: number;
                                hashes?: string[];
                                nonce?: number;
                                sentAt?: number;
                                step: string;
                            }[];
                            pins: {
                                current: string;
                                ok: boolean;
                                recorded: string | null;
                                target: string;
                            }[];
                            plan: {
                                description: string | null;
                                descriptionHash: string | null;
                                governor: string | null;
                                governorProposalId: string | null;
                                mode: string;
                                operationId: string;
                                predecessor: string;
                                salt: string;
                                timelock: string;
                            } | null;
                            proposalId: string;
                            proposalState: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/executions/{id}/cancel-job": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Remove the proposal's waiting/delayed jobs and park the execution (failed, cancelled-by-operator) until a retry; nothing changes on chain (operators; Authorization: Bearer ADMIN_TOKEN) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            removed: string[];
                            running: string[];
                            status: ("queued" | "voting" | "scheduled" | "executed" | "cancelled" | "failed") | (never | null);
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/executions/{id}/dry-run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every remaining step and payload call, simulated with eth_call; nothing is sent (operators; Authorization: Bearer ADMIN_TOKEN) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: string;
                            calls: {
                                data: string;
                                index: number;
                                simulation: {
                                    error: string | null;
                                    gasEstimate: string | null;
                                    ok: boolean;
                                };
                                target: string;
                                value: string;
                            }[];
                            data: string | null;
                            executionMode: string;
                            pins: {
                                current: string;
                                ok: boolean;
                                recorded: string | null;
                                target: string;
                            }[];
                            proposalId: string;
                            refusal: string | null;
                            remaining: {
                                action: string;
                                data: string;
                                simulation: {
                                    error: string | null;
                                    gasEstimate: string | null;
                                    ok: boolean;
                                } | null;
                                step: string;
                                to: string;
                                when: string;
                            }[];
                            simulation: {
                                error: string | null;
                                gasEstimate: string | null;
                                ok: boolean;
                            } | null;
                            step: string | null;
                            to: string | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/executions/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Put a failed or operator-cancelled execution back to what the chain says and queue its step (operators; Authorization: Bearer ADMIN_TOKEN) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: "queued" | "voting" | "scheduled" | "executed" | "cancelled" | "failed";
                            step: string | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/spaces/{id}/reputation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Append a reputation entry (operators; Authorization: Bearer ADMIN_TOKEN) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        address: string;
                        /**
                         * Format: date-time
                         * @description When the change takes effect (default: now).
                         */
                        at?: string;
                        /** @description Signed integer change in points, as a string. */
                        delta: string;
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            recorded: true;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chain/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest block, the recent average block time and a settled block for snapshots (cached a few seconds) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description over the last sampleBlocks blocks; null on a chain with one block */
                            averageBlockTimeMs: number | null;
                            chainId: number;
                            latest: {
                                /** @description An integer as a decimal string (voting power is never a float). */
                                number: string;
                                /** @description unix seconds */
                                timestamp: number;
                            };
                            /** @description when the server read this from the chain (ms since the epoch); at most CHAIN_INFO_TTL old */
                            readAt: number;
                            sampleBlocks: number;
                            /** @description a mined block a little behind the latest: what the app proposes as a new proposal's snapshot */
                            settledBlock: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/chain/tokens/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A token's name, symbol and decimals (read once, then cached) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    address: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            address: string;
                            /** @description null: the contract has no decimals() (e.g. an ERC-721) */
                            decimals: number | null;
                            name: string | null;
                            symbol: string | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/delegations/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A holder's current delegations: per space and global (ended ones are left out, expired ones say active: false) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    address: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description false once expired */
                                active: boolean;
                                delegates: {
                                    address: string;
                                    bps: number;
                                }[];
                                /** @description An integer as a decimal string (voting power is never a float). */
                                expiry: string | null;
                                messageId: string;
                                /** @description the space, or null for every space */
                                space: string | null;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                timestamp: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/discord/interactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Discord interactions endpoint (set it as the application's Interactions Endpoint URL)
         * @description Verifies the Ed25519 signature (401 INVALID_SIGNATURE / STALE_TIMESTAMP, nothing happens), answers PING, runs /idea, /ideas, /proposal, /link, /setup and the idea buttons.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    "x-signature-ed25519": string;
                    "x-signature-timestamp": string;
                };
                path?: never;
                cookie?: never;
            };
            /** @description A Discord interaction, signed by Discord (Ed25519 over X-Signature-Timestamp + raw body). */
            requestBody: {
                content: {
                    "application/json": {
                        application_id: string;
                        channel_id?: string;
                        data?: unknown;
                        guild_id?: string;
                        id: string;
                        member?: unknown;
                        token?: string;
                        /** @description 1 PING, 2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT */
                        type: number;
                        user?: unknown;
                    };
                };
            };
            responses: {
                /** @description Discord's interaction response format. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Message: content, embeds, components, flags (64 = ephemeral) */
                            data?: unknown;
                            /** @description 1 PONG, 4 message, 5 deferred message, 6 deferred update, 7 update */
                            type: number;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/discord/link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Link a wallet to a Discord user with a signed LinkDiscord message (EOA, EIP-1271 or EIP-6492) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description address: 0x + 40 hex digits (any case) */
                        address: string;
                        data: {
                            domain: {
                                chainId: number | string;
                                name: string;
                                /** @description bytes32: 0x + 64 hex digits */
                                salt: string;
                                version: string;
                            };
                            message: {
                                /** @description the signer */
                                from: string;
                                /** @description space settings as JSON */
                                settings: string;
                                /** @description space id */
                                space: string;
                                /** @description unix seconds when signed */
                                timestamp: number;
                            } | {
                                body: string;
                                choices: string[];
                                /** @description link to the discussion, or empty */
                                discussion: string;
                                /** @description execution settings as JSON, or empty for a signal proposal */
                                execution: string;
                                /** @description the signer */
                                from: string;
                                /** @description id of the Discord idea this proposal promotes (GET /api/ideas/{id}), or empty */
                                idea: string;
                                /** @description the space's proposal kind whose rules apply ("default" in a space that declares no kinds) */
                                kind: string;
                                /** @description keccak256(abi.encode(address[] targets, uint256[] values, bytes[] calldatas)), zero for signal proposals */
                                payloadHash: string;
                                /** @description block number voting power is read at */
                                snapshot: number;
                                /** @description space id */
                                space: string;
                                /** @description unix seconds when signed */
                                timestamp: number;
                                title: string;
                                /** @description basic, single-choice, approval, ranked-choice, weighted or quadratic */
                                votingType: string;
                            } | {
                                /** @description JSON choice: 1, [1,3], [2,1,3] or {"1":2,"3":1} by voting type */
                                choice: string;
                                /** @description the signer */
                                from: string;
                                /** @description proposal id (the digest of the signed Proposal message) */
                                proposal: string;
                                reason: string;
                                /** @description space id */
                                space: string;
                                /** @description uint8: 1 = temperature check, 2 = consensus check */
                                stage: number;
                                /** @description unix seconds when signed */
                                timestamp: number;
                            } | {
                                /** @description the signer */
                                from: string;
                                /** @description proposal id (the digest of the signed Proposal message) */
                                proposal: string;
                                /** @description space id */
                                space: string;
                                /** @description unix seconds when signed */
                                timestamp: number;
                            } | {
                                /** @description the signer */
                                from: string;
                                /** @description proposal id (the digest of the signed Proposal message) */
                                proposal: string;
                                /** @description space id */
                                space: string;
                                /** @description unix seconds when signed */
                                timestamp: number;
                            } | {
                                /** @description the signer */
                                from: string;
                                /** @description proposal id (the digest of the signed Proposal message) */
                                proposal: string;
                                /** @description why the council member vetoes (published with the veto) */
                                reason: string;
                                /** @description space id */
                                space: string;
                                /** @description unix seconds when signed */
                                timestamp: number;
                            } | {
                                /** @description the Discord user id (snowflake) to link the wallet to */
                                discordUserId: string;
                                /** @description unix seconds after which the signature is refused */
                                expiry: number;
                                /** @description the signer */
                                from: string;
                                /** @description the one-time token of the /link URL */
                                nonce: string;
                            } | {
                                /** @description the delegates (at most 20 are accepted: TOO_MANY_DELEGATES) */
                                delegates: string[];
                                /** @description unix seconds after which the delegation no longer counts; 0 = never */
                                expiry: number;
                                /** @description the signer */
                                from: string;
                                /** @description each delegate's share in basis points (1 to 10,000), in the order of delegates; they sum to at most 10,000 */
                                shares: number[];
                                /** @description space id, or "" for every space */
                                space: string;
                                /** @description unix seconds when signed */
                                timestamp: number;
                            } | {
                                /** @description the signer */
                                from: string;
                                /** @description space id, or "" for every space */
                                space: string;
                                /** @description unix seconds when signed */
                                timestamp: number;
                            } | {
                                /** @description the signer */
                                from: string;
                                /** @description http(s) links (at most 5), e.g. a forum thread */
                                links: string[];
                                /** @description space id */
                                space: string;
                                /** @description why to delegate to the signer (at most 5,000 characters) */
                                statement: string;
                                /** @description unix seconds when signed */
                                timestamp: number;
                            } | {
                                /** @description uint16: the closing reminder comes this many hours before a stage closes; 0 = 24 */
                                closingHours: number;
                                /** @description keccak256(abi.encode(string email, bytes32 emailSalt)); the address and salt travel unsigned in the envelope's `email` field */
                                emailHash: string;
                                /** @description what to be told about: "proposal" (new proposal), "closing" (closes soon and you have not voted), "results" */
                                events: string[];
                                /** @description the signer */
                                from: string;
                                /** @description space id */
                                space: string;
                                /** @description unix seconds when signed */
                                timestamp: number;
                            } | {
                                /** @description the signer */
                                from: string;
                                /** @description space id */
                                space: string;
                                /** @description unix seconds when signed */
                                timestamp: number;
                            };
                            primaryType: "Space" | "Proposal" | "Vote" | "CancelProposal" | "AdvanceProposal" | "Veto" | "LinkDiscord" | "Delegate" | "Undelegate" | "DelegateStatement" | "Subscribe" | "Unsubscribe";
                            types: {
                                [key: string]: {
                                    name: string;
                                    type: string;
                                }[];
                            };
                        };
                        /** @description 0x-prefixed hex bytes */
                        sig: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            address: string;
                            discordUserId: string;
                            previousAddress: string | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/discord/link/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A pending wallet-link request (from /link): what the wallet must sign */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            discordUserId: string;
                            /** @description unix seconds */
                            expiry: number;
                            /** @description Add message.from (the wallet) and sign with eth_signTypedData_v4. */
                            typedData: {
                                domain: unknown;
                                message: unknown;
                                /** @enum {string} */
                                primaryType: "LinkDiscord";
                                types: unknown;
                            };
                            username: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ideas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ideas posted in Discord with /idea, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description The nextCursor of the previous page. */
                    cursor?: string;
                    limit?: number;
                    space?: string;
                    state?: "open" | "promoted" | "withdrawn";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                author: {
                                    discordUserId: string;
                                    name: string;
                                };
                                createdAt: string;
                                description: string;
                                discord: {
                                    channelId: string;
                                    guildId: string;
                                    messageId: string | null;
                                    threadId: string | null;
                                };
                                /** @description The thread link a promoting proposal must use as its discussion. */
                                discussion: string | null;
                                /** @description idea id */
                                id: string;
                                proposalId: string | null;
                                space: string;
                                /** @enum {unknown} */
                                state: "open" | "promoted" | "withdrawn";
                                support: {
                                    /** @description An integer as a decimal string (voting power is never a float). */
                                    power: string;
                                    /** @description Wallets with power above zero, as recorded when they pressed Support. */
                                    supporters: number;
                                };
                                title: string;
                                updatedAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ideas/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One idea: its support, the space threshold, and the support that promoted it */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description idea id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            author: {
                                discordUserId: string;
                                name: string;
                            };
                            createdAt: string;
                            description: string;
                            discord: {
                                channelId: string;
                                guildId: string;
                                messageId: string | null;
                                threadId: string | null;
                            };
                            /** @description The thread link a promoting proposal must use as its discussion. */
                            discussion: string | null;
                            /** @description idea id */
                            id: string;
                            promotion: {
                                /** @description An integer as a decimal string (voting power is never a float). */
                                block: string;
                                counted: number;
                                supporters: {
                                    address: string;
                                    /** @description An integer as a decimal string (voting power is never a float). */
                                    power: string;
                                }[];
                                /** @description An integer as a decimal string (voting power is never a float). */
                                totalPower: string;
                            } | null;
                            proposalId: string | null;
                            space: string;
                            /** @enum {unknown} */
                            state: "open" | "promoted" | "withdrawn";
                            support: {
                                /** @description An integer as a decimal string (voting power is never a float). */
                                power: string;
                                /** @description Wallets with power above zero, as recorded when they pressed Support. */
                                supporters: number;
                            };
                            supporters: {
                                address: string;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                block: string;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                power: string;
                                supportedAt: string;
                            }[];
                            threshold: {
                                /** @description By the recorded weights; promotion re-checks at the proposal snapshot. */
                                met: boolean;
                                minSupporters: number;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                minSupportPower: string;
                            };
                            title: string;
                            updatedAt: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ideas/{id}/proposal-draft": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The unsigned Proposal message that promotes this idea (add from, sign, POST /api/messages) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description idea id */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            typedData: {
                                domain: unknown;
                                message: unknown;
                                /** @enum {string} */
                                primaryType: "Proposal";
                                types: unknown;
                            };
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What a client needs to sign messages and check receipts (and where the log is anchored on chain) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            domain: {
                                chainId: number;
                                name: string;
                                salt: string;
                                version: string;
                            };
                            limits: unknown;
                            logAnchor: {
                                address: string;
                                /** @description The chain the contract is on (CHAIN_ID) */
                                chainId: number;
                                /** @description The block its TreeHeadAnchored events start at (LOG_ANCHOR_FROM_BLOCK) */
                                fromBlock: number;
                            } | null;
                            receiptSigner: string;
                            types: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/log/head": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest signed tree head of the message log */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A signed tree head of the message log (docs/api.md, "The message log"). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            rootHash: string;
                            /** @description The receipt key over keccak256("govrelay:tree-head:v1" ‖ uint64be(treeSize) ‖ rootHash ‖ uint64be(timestamp)). */
                            signature: string;
                            /** @description Unix time in ms. */
                            timestamp: number;
                            treeSize: number;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/log/heads/{treeSize}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed tree head published at exactly this size (one per committed append) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    treeSize: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A signed tree head of the message log (docs/api.md, "The message log"). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            rootHash: string;
                            /** @description The receipt key over keccak256("govrelay:tree-head:v1" ‖ uint64be(treeSize) ‖ rootHash ‖ uint64be(timestamp)). */
                            signature: string;
                            /** @description Unix time in ms. */
                            timestamp: number;
                            treeSize: number;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/log/leaves": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The log's leaves [start, end) in order (at most 1000), to mirror the log */
        get: {
            parameters: {
                query: {
                    end: number;
                    start: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            leaves: {
                                index: number;
                                leafHash: string;
                                messageId: string;
                                /** @description Unix time in ms, as in the leaf input. */
                                receivedAt: number;
                                signatureHash: string;
                            }[];
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/log/proof/consistency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A consistency proof (RFC 9162) that the tree of `from` leaves is a prefix of the tree of `to` leaves */
        get: {
            parameters: {
                query: {
                    from: number;
                    to: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            from: number;
                            proof: string[];
                            to: number;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/log/proof/inclusion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A message's inclusion proof (RFC 9162 audit path) in the tree of treeSize leaves (default: the latest head's) */
        get: {
            parameters: {
                query: {
                    id: string;
                    treeSize?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            auditPath: string[];
                            leafHash: string;
                            leafIndex: number;
                            messageId: string;
                            treeSize: number;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Submit a signed message (space settings, proposal, vote, cancel, advance) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description A signed EIP-712 message. */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The signer; must equal message.from. */
                        address: string;
                        /** @description The eth_signTypedData_v4 payload that was signed. See docs/messages.md. */
                        data: {
                            domain: {
                                [key: string]: unknown;
                            };
                            message: {
                                [key: string]: unknown;
                            };
                            /** @description One of Space, Proposal, Vote, CancelProposal, AdvanceProposal, Veto, LinkDiscord, Delegate, Undelegate, DelegateStatement, Subscribe, Unsubscribe */
                            primaryType: string;
                            types: {
                                [key: string]: unknown;
                            };
                        };
                        /** @description Executable proposals only: the calls whose hash the proposal signs as payloadHash. */
                        payload?: {
                            calldatas: string[];
                            targets: string[];
                            values: string[];
                        };
                        /** @description 0x signature: 65-byte ECDSA (low-s), or a contract wallet signature (EIP-1271 / EIP-6492). */
                        sig: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description The message's place in the log: the first signed tree head that includes it and the inclusion proof against it. */
                            receipt: {
                                /** @description RFC 9162 audit path of the message's leaf in treeHead's tree. */
                                inclusionProof: string[];
                                leafIndex: number;
                                /** @description A signed tree head of the message log (docs/api.md, "The message log"). */
                                treeHead: {
                                    rootHash: string;
                                    /** @description The receipt key over keccak256("govrelay:tree-head:v1" ‖ uint64be(treeSize) ‖ rootHash ‖ uint64be(timestamp)). */
                                    signature: string;
                                    /** @description Unix time in ms. */
                                    timestamp: number;
                                    treeSize: number;
                                };
                            };
                            receivedAt: string;
                            type: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One signed message, verbatim, with its receipt and its place in the log */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What was signed, as it was received: { address, sig, data } and nothing else. */
                            envelope: unknown;
                            from: string;
                            id: string;
                            /** @description Only for a message stored before the log existed: its receipt then, the receipt key over keccak256(id ‖ uint64be(receivedAt ms)). Null for every other message: its receipt is its place in the log. */
                            legacyReceipt: string | null;
                            /** @description Executable proposals: the payload { targets, values, calldatas } sent beside the message (not signed; bound by the signed payloadHash). Null otherwise. */
                            payload: unknown;
                            proposalId: string | null;
                            /** @description The receipt: leaf index, the first signed tree head that includes the message, the inclusion proof against it. Null for messages stored before the log existed (their receipt is legacyReceipt). */
                            receipt: {
                                /** @description RFC 9162 audit path of the message's leaf in treeHead's tree. */
                                inclusionProof: string[];
                                leafIndex: number;
                                /** @description A signed tree head of the message log (docs/api.md, "The message log"). */
                                treeHead: {
                                    rootHash: string;
                                    /** @description The receipt key over keccak256("govrelay:tree-head:v1" ‖ uint64be(treeSize) ‖ rootHash ‖ uint64be(timestamp)). */
                                    signature: string;
                                    /** @description Unix time in ms. */
                                    timestamp: number;
                                    treeSize: number;
                                };
                            } | (never | null);
                            receivedAt: string;
                            /** @description Block at which a contract wallet confirmed the signature. */
                            sigBlock: string | (never | null);
                            /** @description eoa, eip1271 or eip6492 */
                            sigKind: string;
                            signature: string;
                            spaceId: string;
                            /** @description An integer as a decimal string (voting power is never a float). */
                            timestamp: string;
                            type: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/messages/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit up to 500 signed votes at once (relays, aggregators)
         * @description The body is a JSON array of signed Vote envelopes (the same form as POST /api/messages). Items are independent: results[i] is either { ok: true, id, type, receivedAt, receipt } (committed before this response was sent) or { ok: false, status, code, message } (nothing was stored for it). The response is 200 whenever the batch itself was well-formed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The signer; must equal message.from. */
                        address: string;
                        /** @description The eth_signTypedData_v4 payload that was signed. See docs/messages.md. */
                        data: {
                            domain: {
                                [key: string]: unknown;
                            };
                            message: {
                                [key: string]: unknown;
                            };
                            /** @description One of Space, Proposal, Vote, CancelProposal, AdvanceProposal, Veto, LinkDiscord, Delegate, Undelegate, DelegateStatement, Subscribe, Unsubscribe */
                            primaryType: string;
                            types: {
                                [key: string]: unknown;
                            };
                        };
                        /** @description Executable proposals only: the calls whose hash the proposal signs as payloadHash. */
                        payload?: {
                            calldatas: string[];
                            targets: string[];
                            values: string[];
                        };
                        /** @description 0x signature: 65-byte ECDSA (low-s), or a contract wallet signature (EIP-1271 / EIP-6492). */
                        sig: string;
                    }[];
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            results: {
                                code?: string;
                                details?: unknown;
                                id?: string;
                                message?: string;
                                ok: boolean;
                                /** @description The message's place in the log: the first signed tree head that includes it and the inclusion proof against it. */
                                receipt?: {
                                    /** @description RFC 9162 audit path of the message's leaf in treeHead's tree. */
                                    inclusionProof: string[];
                                    leafIndex: number;
                                    /** @description A signed tree head of the message log (docs/api.md, "The message log"). */
                                    treeHead: {
                                        rootHash: string;
                                        /** @description The receipt key over keccak256("govrelay:tree-head:v1" ‖ uint64be(treeSize) ‖ rootHash ‖ uint64be(timestamp)). */
                                        signature: string;
                                        /** @description Unix time in ms. */
                                        timestamp: number;
                                        treeSize: number;
                                    };
                                };
                                receivedAt?: string;
                                /** @description true: a dependency was unavailable; the same item may succeed later. */
                                retryable?: boolean;
                                /** @description The HTTP status this item would have had on its own. */
                                status?: number;
                                type?: string;
                            }[];
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payload/encode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Calldata of one call from a human-readable function fragment and its arguments (decimal strings for integers, JSON for arrays and tuples) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        args: string[];
                        /** @description e.g. "function pay(address to, uint256 amount)" */
                        fragment: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: string;
                            function: string;
                            selector: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/payload/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Decode and simulate an unsigned payload in a space, and give its payloadHash (for the proposal form, before signing) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        payload: {
                            calldatas: string[];
                            targets: string[];
                            values: string[];
                        };
                        space: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            calls: {
                                data: string;
                                decoded: {
                                    /** @description erc20-transfer: the amount in base units */
                                    amount?: string;
                                    args: {
                                        name: string;
                                        type: string;
                                        value: string;
                                    }[];
                                    /** @description signature, e.g. transfer(address,uint256) */
                                    function: string | null;
                                    /** @enum {unknown} */
                                    kind: "erc20-transfer" | "eth-transfer" | "call" | "raw";
                                    /** @description one sentence for people, e.g. "20 BTK from the treasury to 0x…" */
                                    text: string;
                                    token?: {
                                        address: string;
                                        /** @description null: the contract has no decimals() (e.g. an ERC-721) */
                                        decimals: number | null;
                                        name: string | null;
                                        symbol: string | null;
                                    };
                                };
                                index: number;
                                simulation: {
                                    /** @description the decoded revert, e.g. ERC20InsufficientBalance(0x…, 0, 5000000000000000000) */
                                    error: string | null;
                                    gasEstimate: string | null;
                                    ok: boolean;
                                } | null;
                                target: string;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                value: string;
                            }[];
                            executor: string | null;
                            payloadHash: string;
                            /** @description each call run with eth_call from the executor at `block`, one by one; null without an executor */
                            simulation: {
                                /** @description An integer as a decimal string (voting power is never a float). */
                                block: string;
                                from: string;
                                ok: boolean;
                            } | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proposals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List proposals, newest first, filtered by space and/or state */
        get: {
            parameters: {
                query?: {
                    /** @description The nextCursor of the previous page. */
                    cursor?: string;
                    limit?: number;
                    space?: string;
                    state?: "pending" | "temperature" | "awaiting-advance" | "consensus" | "accepted" | "queued" | "executed" | "expired" | "defeated" | "cancelled";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                author: string;
                                body: string;
                                choices: string[];
                                consensus: {
                                    end: string | null;
                                    /** @description An integer as a decimal string (voting power is never a float). */
                                    quorum: string;
                                    start: string | null;
                                };
                                createdAt: string;
                                discussion: string;
                                /** @description "" (signal), "timelock" or "governor" */
                                execution: string;
                                executionStatus: unknown | (never | null);
                                id: string;
                                /** @description The Discord idea this proposal promoted (GET /api/ideas/{id}), or null. */
                                idea: string | null;
                                /** @description The space's proposal kind it runs under ("default" in a space without kinds); its rules: GET /api/proposals/{id}/rules. */
                                kind: string;
                                payload: {
                                    calldatas: string[];
                                    targets: string[];
                                    values: string[];
                                } | null;
                                payloadHash: string;
                                results: {
                                    choices: string[];
                                    computedAt: string;
                                    /** @description The log's tree size the stage was counted at: the tally is the stage's votes among the log's first logTreeSize leaves. Null before the log. */
                                    logTreeSize: number | null;
                                    outcome: string;
                                    passed: boolean;
                                    /** @description An integer as a decimal string (voting power is never a float). */
                                    quorum: string;
                                    quorumReached: boolean;
                                    scores: string[];
                                    scoresByStrategy: string[][];
                                    /** @description The receipt key over the stage result digest (docs/api.md, "Signed stage results"). Null before the log. */
                                    signature: string | null;
                                    stage: number;
                                    /** @description An integer as a decimal string (voting power is never a float). */
                                    totalPower: string;
                                    voterCount: number;
                                    votingType: string;
                                    /** @description Warnings about the result, not exclusions: powerSpike lists voters whose power at the snapshot is more than `multiple` times their power `lookbackBlocks` earlier (the space's powerSpike setting); null until checked or without the setting */
                                    warnings: {
                                        powerSpike?: {
                                            /** @description An integer as a decimal string (voting power is never a float). */
                                            earlierBlock: string;
                                            lookbackBlocks: number;
                                            multiple: number;
                                            voters: {
                                                address: string;
                                                /** @description An integer as a decimal string (voting power is never a float). */
                                                earlierPower: string;
                                                /** @description An integer as a decimal string (voting power is never a float). */
                                                power: string;
                                            }[];
                                        };
                                    } | null;
                                    winningChoice: number | null;
                                }[];
                                /** @description The payload simulated from the executor at each phase (executable proposals; empty in lists) */
                                simulations: {
                                    balanceChanges: {
                                        account: string;
                                        /** @description An integer as a decimal string (voting power is never a float). */
                                        after: string;
                                        /** @description An integer as a decimal string (voting power is never a float). */
                                        before: string;
                                        /** @description after − before, base units */
                                        delta: string;
                                        /** @description null: ether */
                                        token: string | null;
                                    }[] | null;
                                    /** @description An integer as a decimal string (voting power is never a float). */
                                    block: string;
                                    /** @description the decoded revert of the failing call */
                                    error: string | null;
                                    executor: string;
                                    failedCall: number | null;
                                    /**
                                     * @description state-override: the whole batch in one eth_call from the executor, with balance changes; per-call: each call alone
                                     * @enum {unknown}
                                     */
                                    method: "state-override" | "per-call";
                                    ok: boolean;
                                    /**
                                     * @description created: at proposal creation; consensus: when the consensus check opened; schedule: right before the relayer scheduled
                                     * @enum {unknown}
                                     */
                                    phase: "created" | "consensus" | "schedule";
                                    simulatedAt: string;
                                }[];
                                /** @description An integer as a decimal string (voting power is never a float). */
                                snapshot: string;
                                space: string;
                                /** @enum {unknown} */
                                state: "pending" | "temperature" | "awaiting-advance" | "consensus" | "accepted" | "queued" | "executed" | "expired" | "defeated" | "cancelled";
                                targetCodeHashes: {
                                    codeHash: string;
                                    target: string;
                                }[];
                                temperature: {
                                    end: string;
                                    /** @description An integer as a decimal string (voting power is never a float). */
                                    quorum: string;
                                    start: string;
                                };
                                title: string;
                                /** @description The veto council of the proposal (its rules) and the signed vetoes so far; null without a council, and in lists */
                                veto: {
                                    council: {
                                        members: string[];
                                        threshold: number;
                                    };
                                    /** @description the last moment (exclusive, on the chain's clock) a veto is accepted: 600 s before the operation's ready time; null until it is scheduled */
                                    deadline: string | null;
                                    thresholdReached: boolean;
                                    /** @description when the threshold was reached: the relayer cancels the operation */
                                    vetoedAt: string | null;
                                    vetoes: {
                                        member: string;
                                        messageId: string;
                                        reason: string;
                                        receivedAt: string;
                                    }[];
                                } | null;
                                votingType: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proposals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One proposal with its stage results and execution status */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            author: string;
                            body: string;
                            choices: string[];
                            consensus: {
                                end: string | null;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                quorum: string;
                                start: string | null;
                            };
                            createdAt: string;
                            discussion: string;
                            /** @description "" (signal), "timelock" or "governor" */
                            execution: string;
                            executionStatus: unknown | (never | null);
                            id: string;
                            /** @description The Discord idea this proposal promoted (GET /api/ideas/{id}), or null. */
                            idea: string | null;
                            /** @description The space's proposal kind it runs under ("default" in a space without kinds); its rules: GET /api/proposals/{id}/rules. */
                            kind: string;
                            payload: {
                                calldatas: string[];
                                targets: string[];
                                values: string[];
                            } | null;
                            payloadHash: string;
                            results: {
                                choices: string[];
                                computedAt: string;
                                /** @description The log's tree size the stage was counted at: the tally is the stage's votes among the log's first logTreeSize leaves. Null before the log. */
                                logTreeSize: number | null;
                                outcome: string;
                                passed: boolean;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                quorum: string;
                                quorumReached: boolean;
                                scores: string[];
                                scoresByStrategy: string[][];
                                /** @description The receipt key over the stage result digest (docs/api.md, "Signed stage results"). Null before the log. */
                                signature: string | null;
                                stage: number;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                totalPower: string;
                                voterCount: number;
                                votingType: string;
                                /** @description Warnings about the result, not exclusions: powerSpike lists voters whose power at the snapshot is more than `multiple` times their power `lookbackBlocks` earlier (the space's powerSpike setting); null until checked or without the setting */
                                warnings: {
                                    powerSpike?: {
                                        /** @description An integer as a decimal string (voting power is never a float). */
                                        earlierBlock: string;
                                        lookbackBlocks: number;
                                        multiple: number;
                                        voters: {
                                            address: string;
                                            /** @description An integer as a decimal string (voting power is never a float). */
                                            earlierPower: string;
                                            /** @description An integer as a decimal string (voting power is never a float). */
                                            power: string;
                                        }[];
                                    };
                                } | null;
                                winningChoice: number | null;
                            }[];
                            /** @description The payload simulated from the executor at each phase (executable proposals; empty in lists) */
                            simulations: {
                                balanceChanges: {
                                    account: string;
                                    /** @description An integer as a decimal string (voting power is never a float). */
                                    after: string;
                                    /** @description An integer as a decimal string (voting power is never a float). */
                                    before: string;
                                    /** @description after − before, base units */
                                    delta: string;
                                    /** @description null: ether */
                                    token: string | null;
                                }[] | null;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                block: string;
                                /** @description the decoded revert of the failing call */
                                error: string | null;
                                executor: string;
                                failedCall: number | null;
                                /**
                                 * @description state-override: the whole batch in one eth_call from the executor, with balance changes; per-call: each call alone
                                 * @enum {unknown}
                                 */
                                method: "state-override" | "per-call";
                                ok: boolean;
                                /**
                                 * @description created: at proposal creation; consensus: when the consensus check opened; schedule: right before the relayer scheduled
                                 * @enum {unknown}
                                 */
                                phase: "created" | "consensus" | "schedule";
                                simulatedAt: string;
                            }[];
                            /** @description An integer as a decimal string (voting power is never a float). */
                            snapshot: string;
                            space: string;
                            /** @enum {unknown} */
                            state: "pending" | "temperature" | "awaiting-advance" | "consensus" | "accepted" | "queued" | "executed" | "expired" | "defeated" | "cancelled";
                            targetCodeHashes: {
                                codeHash: string;
                                target: string;
                            }[];
                            temperature: {
                                end: string;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                quorum: string;
                                start: string;
                            };
                            title: string;
                            /** @description The veto council of the proposal (its rules) and the signed vetoes so far; null without a council, and in lists */
                            veto: {
                                council: {
                                    members: string[];
                                    threshold: number;
                                };
                                /** @description the last moment (exclusive, on the chain's clock) a veto is accepted: 600 s before the operation's ready time; null until it is scheduled */
                                deadline: string | null;
                                thresholdReached: boolean;
                                /** @description when the threshold was reached: the relayer cancels the operation */
                                vetoedAt: string | null;
                                vetoes: {
                                    member: string;
                                    messageId: string;
                                    reason: string;
                                    receivedAt: string;
                                }[];
                            } | null;
                            votingType: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proposals/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lifecycle history: every transition with its time and cause */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                at: string;
                                cause: string;
                                detail: unknown;
                                from: string | null;
                                messageId: string | null;
                                to: string;
                            }[];
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proposals/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every signed message about this proposal, verbatim, in arrival order (for audit and recomputation) */
        get: {
            parameters: {
                query?: {
                    /** @description The nextCursor of the previous page. */
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description What was signed, as it was received: { address, sig, data } and nothing else. */
                                envelope: unknown;
                                from: string;
                                id: string;
                                /** @description Only for a message stored before the log existed: its receipt then, the receipt key over keccak256(id ‖ uint64be(receivedAt ms)). Null for every other message: its receipt is its place in the log. */
                                legacyReceipt: string | null;
                                /** @description Executable proposals: the payload { targets, values, calldatas } sent beside the message (not signed; bound by the signed payloadHash). Null otherwise. */
                                payload: unknown;
                                proposalId: string | null;
                                receivedAt: string;
                                /** @description Block at which a contract wallet confirmed the signature. */
                                sigBlock: string | (never | null);
                                /** @description eoa, eip1271 or eip6492 */
                                sigKind: string;
                                signature: string;
                                spaceId: string;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                timestamp: string;
                                type: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proposals/{id}/payload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The executable payload for people: each call decoded and simulated from the executor, and the timelock operation id with its inputs */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            calls: {
                                data: string;
                                decoded: {
                                    /** @description erc20-transfer: the amount in base units */
                                    amount?: string;
                                    args: {
                                        name: string;
                                        type: string;
                                        value: string;
                                    }[];
                                    /** @description signature, e.g. transfer(address,uint256) */
                                    function: string | null;
                                    /** @enum {unknown} */
                                    kind: "erc20-transfer" | "eth-transfer" | "call" | "raw";
                                    /** @description one sentence for people, e.g. "20 BTK from the treasury to 0x…" */
                                    text: string;
                                    token?: {
                                        address: string;
                                        /** @description null: the contract has no decimals() (e.g. an ERC-721) */
                                        decimals: number | null;
                                        name: string | null;
                                        symbol: string | null;
                                    };
                                };
                                index: number;
                                simulation: {
                                    /** @description the decoded revert, e.g. ERC20InsufficientBalance(0x…, 0, 5000000000000000000) */
                                    error: string | null;
                                    gasEstimate: string | null;
                                    ok: boolean;
                                } | null;
                                target: string;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                value: string;
                            }[];
                            /** @description "" (signal), "timelock" or "governor" */
                            execution: string;
                            executor: string | null;
                            operation: {
                                calldatas: string[];
                                description: string | null;
                                descriptionHash: string | null;
                                formula: string;
                                governor: string | null;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                governorProposalId: string | null;
                                /** @enum {unknown} */
                                mode: "timelock" | "governor";
                                operationId: string;
                                predecessor: string;
                                salt: string;
                                targets: string[];
                                timelock: string;
                                values: string[];
                            } | null;
                            payloadHash: string;
                            proposalId: string;
                            /** @description each call run with eth_call from the executor at `block`, one by one; null without an executor */
                            simulation: {
                                /** @description An integer as a decimal string (voting power is never a float). */
                                block: string;
                                from: string;
                                ok: boolean;
                            } | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proposals/{id}/power-preload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This server instance's head start on the proposal's voting power: likely voters found and computed before they vote */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false when the search stopped at POWER_PRELOAD_MAX_HOLDERS */
                            complete: boolean;
                            /** @description of those, whose power is computed */
                            computed: number;
                            error?: string;
                            /** @description likely holders found (token recipients or delegates up to the snapshot) */
                            holders: number;
                            logRequests: number;
                            ms: number;
                            /**
                             * @description off: POWER_PRELOAD_MAX_HOLDERS is 0; idle: not started on this instance (it starts at the first vote)
                             * @enum {unknown}
                             */
                            state: "off" | "idle" | "queued" | "running" | "ready" | "failed";
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proposals/{id}/power/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A voter's power on this proposal, at its snapshot, per strategy, with delegation explained: own, given, received per delegator */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    address: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            address: string;
                            byStrategy: string[];
                            /** @description the proposal's delegation setting */
                            delegation: "off" | "offchain";
                            /** @description own − given + received: what counts if nobody involved overrides (a delegator who votes counts all of own in that stage, and their share leaves the delegate) */
                            effective: {
                                byStrategy: string[];
                                /** @description An integer as a decimal string (voting power is never a float). */
                                total: string;
                            };
                            /** @description shares lent to delegates */
                            given: {
                                /** @description basis points of the delegator’s power */
                                bps: number;
                                byStrategy: string[];
                                delegate: string;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                total: string;
                            }[];
                            givenTotal: {
                                /** @description per strategy of the space, after weights */
                                byStrategy: string[];
                                /** @description An integer as a decimal string (voting power is never a float). */
                                total: string;
                            };
                            own: {
                                /** @description per strategy of the space, after weights */
                                byStrategy: string[];
                                /** @description An integer as a decimal string (voting power is never a float). */
                                total: string;
                            };
                            /** @description An integer as a decimal string (voting power is never a float). */
                            power: string;
                            /** @description shares received, per delegator */
                            received: {
                                /** @description basis points of the delegator’s power */
                                bps: number;
                                byStrategy: string[];
                                delegator: string;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                total: string;
                            }[];
                            receivedTotal: {
                                /** @description per strategy of the space, after weights */
                                byStrategy: string[];
                                /** @description An integer as a decimal string (voting power is never a float). */
                                total: string;
                            };
                            /** @description An integer as a decimal string (voting power is never a float). */
                            snapshot: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proposals/{id}/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The rules the proposal runs under (fixed at creation), each stage resolved: voting type, choices, period, quorum, pass threshold */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            kind: {
                                /** @description the kind as the space declared it at creation: stages, proposalGate, lateQuorumExtension, execution, payloadLimits ({} for the implicit default) */
                                definition: unknown;
                                /** @description the kind the signed Proposal names ("default" in a space without kinds) */
                                name: string;
                            };
                            /** @description seconds (0: off): a stage first reaching quorum less than this before its end closes this long after that moment */
                            lateQuorumExtension: number;
                            proposalId: string;
                            /** @description the space settings as they were when the proposal was created, with its kind applied (its stages, gate and extension in place of the top-level ones) */
                            settings: unknown;
                            space: string;
                            stages: {
                                /** @description the choices of this stage, in order; choice numbers start at 1 */
                                choices: string[];
                                /** @description when the stage closes; moved once by a late quorum (lateQuorumExtension) */
                                end: string | null;
                                /** @description the winning side needs more than this share, in basis points */
                                passThresholdBps: number;
                                /** @description seconds the stage is open */
                                period: number;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                quorum: string;
                                /** @description the quorum setting the quorum was resolved from: {kind:"absolute",power} or {kind:"supply-fraction",bps} */
                                quorumRule: unknown;
                                /** @description 1 = temperature check, 2 = consensus check */
                                stage: number;
                                /** @description when the stage opens (null: not yet known) */
                                start: string | null;
                                /** @description the voting type this stage counts with (never "proposal") */
                                votingType: string;
                            }[];
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proposals/{id}/tally": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tally of a stage: final if the stage has closed, live otherwise */
        get: {
            parameters: {
                query?: {
                    /** @description 1 = temperature check, 2 = consensus check */
                    stage?: 1 | 2;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            final: boolean;
                            result: {
                                choices: string[];
                                computedAt: string;
                                /** @description The log's tree size the stage was counted at: the tally is the stage's votes among the log's first logTreeSize leaves. Null before the log. */
                                logTreeSize: number | null;
                                outcome: string;
                                passed: boolean;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                quorum: string;
                                quorumReached: boolean;
                                scores: string[];
                                scoresByStrategy: string[][];
                                /** @description The receipt key over the stage result digest (docs/api.md, "Signed stage results"). Null before the log. */
                                signature: string | null;
                                stage: number;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                totalPower: string;
                                voterCount: number;
                                votingType: string;
                                /** @description Warnings about the result, not exclusions: powerSpike lists voters whose power at the snapshot is more than `multiple` times their power `lookbackBlocks` earlier (the space's powerSpike setting); null until checked or without the setting */
                                warnings: {
                                    powerSpike?: {
                                        /** @description An integer as a decimal string (voting power is never a float). */
                                        earlierBlock: string;
                                        lookbackBlocks: number;
                                        multiple: number;
                                        voters: {
                                            address: string;
                                            /** @description An integer as a decimal string (voting power is never a float). */
                                            earlierPower: string;
                                            /** @description An integer as a decimal string (voting power is never a float). */
                                            power: string;
                                        }[];
                                    };
                                } | null;
                                winningChoice: number | null;
                            } | null;
                            stage: number;
                            tally: {
                                choices: string[];
                                rounds?: string[][];
                                scores: string[];
                                scoresByStrategy: string[][];
                                /** @description An integer as a decimal string (voting power is never a float). */
                                totalPower: string;
                                voterCount: number;
                                votingType: string;
                            };
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proposals/{id}/votes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Current votes (one per voter and stage), paginated */
        get: {
            parameters: {
                query?: {
                    /** @description The nextCursor of the previous page. */
                    cursor?: string;
                    limit?: number;
                    /** @description 1 = temperature check, 2 = consensus check */
                    stage?: 1 | 2;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                choice: unknown;
                                messageId: string;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                power: string;
                                reason: string;
                                receivedAt: string;
                                stage: number;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                timestamp: string;
                                voter: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/proposals/{id}/votes/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One voter's current votes on a proposal, one per stage (empty when they have not voted) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    address: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description the parsed choice JSON (1, [1,3], {"1":2}) */
                                choice: unknown;
                                messageId: string;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                power: string;
                                reason: string;
                                receivedAt: string;
                                stage: number;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                timestamp: string;
                                voter: string;
                            }[];
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reminders/confirm/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The confirmation link of a subscription: a page with a Confirm button */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the link token of the email */
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description an HTML page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Confirms a subscription (double opt-in): nothing but the confirmation is sent before */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the link token of the email */
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description an HTML page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/reminders/unsubscribe/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The unsubscribe link of every reminder email: a page with an Unsubscribe button */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the link token of the email */
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description an HTML page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        /** One-click unsubscribe (RFC 8058 List-Unsubscribe-Post); repeating it is harmless */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the link token of the email */
                    token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description an HTML page */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/spaces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List spaces */
        get: {
            parameters: {
                query?: {
                    /** @description The nextCursor of the previous page. */
                    cursor?: string;
                    limit?: number;
                    parent?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                createdAt: string;
                                id: string;
                                parentId: string | null;
                                /** @description The space settings (see docs/api.md#space-settings). */
                                settings: unknown;
                                updatedAt: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/spaces/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One space with its current settings */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            id: string;
                            parentId: string | null;
                            /** @description The space settings (see docs/api.md#space-settings). */
                            settings: unknown;
                            updatedAt: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/spaces/{id}/delegates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A space's delegates ranked by received power at a proposal's snapshot (default: its latest proposal with delegation) */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    offset?: number;
                    proposal?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                address: string;
                                /** @description delegators whose delegation counted at the snapshot */
                                delegators: number;
                                participation: {
                                    /** @description the space's proposals created since their first delegation */
                                    proposals: number;
                                    /** @description of those, how many they voted on (any stage) */
                                    voted: number;
                                };
                                /** @description An integer as a decimal string (voting power is never a float). */
                                received: string;
                                statement: {
                                    links: string[];
                                    messageId: string;
                                    statement: string;
                                    /** @description An integer as a decimal string (voting power is never a float). */
                                    timestamp: string;
                                    updatedAt: string;
                                } | null;
                            }[];
                            proposal: string | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/spaces/{id}/delegates/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One delegate of a space: statement, participation, and the power each delegator lent them at a proposal’s snapshot (default: the latest) */
        get: {
            parameters: {
                query?: {
                    proposal?: string;
                };
                header?: never;
                path: {
                    address: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            delegate: {
                                address: string;
                                /** @description delegators whose delegation counted at the snapshot */
                                delegators: number;
                                participation: {
                                    /** @description the space's proposals created since their first delegation */
                                    proposals: number;
                                    /** @description of those, how many they voted on (any stage) */
                                    voted: number;
                                };
                                /** @description An integer as a decimal string (voting power is never a float). */
                                received: string;
                                statement: {
                                    links: string[];
                                    messageId: string;
                                    statement: string;
                                    /** @description An integer as a decimal string (voting power is never a float). */
                                    timestamp: string;
                                    updatedAt: string;
                                } | null;
                            };
                            delegators: {
                                address: string;
                                bps: number;
                                /** @description An integer as a decimal string (voting power is never a float). */
                                power: string;
                            }[];
                            proposal: string | null;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/spaces/{id}/executor": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The space's executor (TimelockController) and its minimum delay, read from the chain (cached for a minute) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the TimelockController of the space settings, or null (signal-only space) */
                            executor: string | null;
                            governor: string | null;
                            /** @description seconds between scheduling and execution (the timelock's getMinDelay now); null without an executor */
                            minDelay: number | null;
                            space: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/spaces/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every settings change of a space: who, when, before and after */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                actor: string;
                                at: string;
                                messageId: string;
                                previous: unknown;
                                settings: unknown;
                            }[];
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/spaces/{id}/reputation/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An address's ledger reputation in a space, as of a time (default now) */
        get: {
            parameters: {
                query?: {
                    at?: string;
                };
                header?: never;
                path: {
                    address: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            address: string;
                            at: string;
                            reputation: string;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/spaces/{id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Metadata of every token the space names: its governance token, then the tokens its strategies read */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                address: string;
                                /** @description null: the contract has no decimals() (e.g. an ERC-721) */
                                decimals: number | null;
                                name: string | null;
                                symbol: string | null;
                            }[];
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/spaces/settings/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Validate space settings without signing or storing anything: valid (with the settings as the server would store them) or every problem */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the settings JSON exactly as it would go in the Space message */
                        settings: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description "/path: problem" strings; empty when valid */
                            problems: string[];
                            /** @description with defaults applied and addresses lowercased; null when invalid */
                            settings: unknown | (never | null);
                            valid: boolean;
                        };
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/discord/link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Page: sign LinkDiscord with a browser wallet */
        get: {
            parameters: {
                query?: {
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/html */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/discord/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Page: sign the Proposal that promotes an idea */
        get: {
            parameters: {
                query?: {
                    idea?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/html */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": string;
                    };
                };
                /** @description Every 4xx/5xx answer has this shape. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html": {
                            /** @description Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED. */
                            code: string;
                            details?: {
                                [key: string]: unknown;
                            };
                            message: string;
                            /** @description true: the same request may succeed later (a dependency was unavailable); see Retry-After. */
                            retryable?: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and dependency checks */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                [key: string]: string;
                            };
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checks: {
                                [key: string]: string;
                            };
                            /** @enum {string} */
                            status: "degraded";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics of this server instance (text format 0.0.4) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
