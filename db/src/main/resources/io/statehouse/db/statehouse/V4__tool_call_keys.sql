-- Tool calls that must start their run once: a caller's idempotency key (2026-07-28, _meta
-- "io.statehouse/idempotencyKey") or a stateful session's request id (2025-11-25). The row is
-- inserted in the transaction that starts the run, so a second call with the same key waits for
-- the first to commit and then finds its run, on any node. key_ is a SHA-256 of the user and the
-- key; call_ a SHA-256 of the tool and its arguments (the same key for another call is refused);
-- run_id_ is written in the same transaction, after the run's start, so a committed row has it.
-- Rows older than the idempotency window are deleted when the next key is claimed.
create table sh_tool_call_key (
    key_        varchar(64) not null,
    call_       varchar(64) not null,
    run_id_     varchar(64),
    created_ms_ bigint      not null,
    constraint pk_sh_tool_call_key primary key (key_)
);

create index sh_tool_call_key_created on sh_tool_call_key (created_ms_);
