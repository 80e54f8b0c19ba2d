-- The registry of remote MCP servers that agent runs call ("MCP tool call" element, mcpServer).
-- source_ is 'configuration' (owned by the server's configuration, re-applied at every start)
-- or 'api' (managed through /statehouse/api/mcp-servers).
create table sh_mcp_server (
    name_          varchar(100)  not null,
    url_           varchar(2000) not null,
    authorization_ varchar(4000),
    source_        varchar(20)   not null,
    updated_at_    timestamp     not null,
    constraint pk_sh_mcp_server primary key (name_)
);
