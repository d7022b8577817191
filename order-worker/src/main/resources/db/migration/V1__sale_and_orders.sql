-- The MySQL record of every sale and order. Ids are case-sensitive (utf8mb4_bin) because Redis
-- keys and Crockford order ids are. Times are DATETIME(3) in UTC: the connection forces its
-- session time zone to UTC.

CREATE TABLE sale (
  id                     VARCHAR(64)  NOT NULL,
  item                   VARCHAR(200) NOT NULL,
  stock                  INT          NOT NULL,
  per_user_limit         INT          NOT NULL,
  starts_at              DATETIME(3)  NOT NULL,
  ends_at                DATETIME(3)  NOT NULL,
  payment_window_seconds INT          NOT NULL,
  available              INT          NOT NULL,
  version                BIGINT       NOT NULL DEFAULT 0,
  created_at             DATETIME(3)  NOT NULL,
  updated_at             DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  -- GET /internal/sales lists the sales not yet ended
  KEY idx_sale_ends_at (ends_at),
  -- the last line of defence against an oversell bug: the server refuses the row
  CONSTRAINT chk_sale_available CHECK (available >= 0 AND available <= stock)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE orders (
  id           VARCHAR(100) NOT NULL,
  sale_id      VARCHAR(64)  NOT NULL,
  user_id      VARCHAR(64)  NOT NULL,
  quantity     INT          NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  version      BIGINT       NOT NULL DEFAULT 0,
  created_at   DATETIME(3)  NOT NULL,
  expires_at   DATETIME(3)  NOT NULL,
  paid_at      DATETIME(3)  NULL,
  cancelled_at DATETIME(3)  NULL,
  PRIMARY KEY (id),
  -- sale stats: units per status of one sale
  KEY idx_orders_sale_status (sale_id, status),
  -- per-user holdings of one sale
  KEY idx_orders_sale_user (sale_id, user_id),
  CONSTRAINT chk_orders_quantity CHECK (quantity > 0),
  CONSTRAINT chk_orders_status CHECK (status IN ('AWAITING_PAYMENT', 'PAID', 'CANCELLED'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
