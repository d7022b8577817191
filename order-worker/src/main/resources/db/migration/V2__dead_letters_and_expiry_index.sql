-- Dead letters of every service (topic seckill-dead-letter: order-worker's creations and timeouts,
-- stock-service's releases), recorded by order-worker so that operators can list and replay them.
-- message_id is the dead-letter message's own id: a redelivered dead letter records nothing new.
CREATE TABLE dead_letter (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  message_id   VARCHAR(128)  NOT NULL,
  source_topic VARCHAR(255)  NULL,
  message_key  VARCHAR(255)  NULL,
  reason       VARCHAR(64)   NOT NULL,
  detail       VARCHAR(1000) NULL,
  body         MEDIUMBLOB    NOT NULL,
  recorded_at  DATETIME(3)   NOT NULL,
  replayed_at  DATETIME(3)   NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_dead_letter_message (message_id),
  -- the gauge of dead letters not replayed
  KEY idx_dead_letter_replayed (replayed_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- the lost-timer sweep: orders still awaiting payment, oldest expiry first
ALTER TABLE orders ADD KEY idx_orders_status_expires (status, expires_at);
