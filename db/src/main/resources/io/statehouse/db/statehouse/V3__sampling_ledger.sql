-- Sampling calls, counted in the database so that every node of a cluster spends one budget.
-- A key is a sampling provider's or an MCP server's name. Its row is locked while a call is
-- admitted under it (select ... for update), so two nodes never both take the last call; its
-- totals grow for ever. Instants are milliseconds since the epoch (UTC), the same on every node.
create table sh_sampling_key (
    key_              varchar(200) not null,
    total_calls_      bigint       not null,
    total_tokens_     bigint       not null,
    total_latency_ms_ bigint       not null,
    constraint pk_sh_sampling_key primary key (key_)
);

-- One row per call and key, for the rolling windows; rows older than a key's window are deleted
-- when the next call under that key is admitted.
create table sh_sampling_call (
    call_id_ varchar(36)  not null,
    key_     varchar(200) not null,
    at_ms_   bigint       not null,
    tokens_  bigint       not null,
    constraint pk_sh_sampling_call primary key (call_id_, key_)
);

create index sh_sampling_call_key_at on sh_sampling_call (key_, at_ms_);
