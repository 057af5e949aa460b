package io.als.spark;

import java.io.Serializable;

/**
 * The ids of both sides and the name of the input, as the executors see them.
 *
 * @param users  the user ids
 * @param items  the item ids
 * @param source where the ratings came from, for messages and the model's training information
 */
record IdTables(IdTable users, IdTable items, String source) implements Serializable {
    IdTable of(Block.Side side) {
        return side == Block.Side.USERS ? users : items;
    }
}
