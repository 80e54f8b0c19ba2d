-- Facts about this Statehouse installation that must be recorded exactly once,
-- such as "the demo user was created" (so that deleting it is not undone by a restart).
create table sh_installation (
    key_         varchar(100)  not null,
    value_       varchar(4000),
    recorded_at_ timestamp     not null,
    constraint pk_sh_installation primary key (key_)
);
