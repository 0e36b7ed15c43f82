//! Amazon SNS's typed requests and responses. SNS speaks the query protocol; the lab's JSON is
//! what the aws-cli prints (PascalCase members, in the official model's order,
//! `sns-2010-03-31`). Request members are read leniently ([`crate::lenient`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

lenient_request!(
    /// `CreateTopic`.
    CreateTopicRequest {
        /// 1–256 characters of `[A-Za-z0-9_-]` (a FIFO topic's ends in `.fifo`).
        name: String = "Name",
        /// The topic's attributes (`KmsMasterKeyId`, `Policy`, `DisplayName`, …).
        attributes: BTreeMap<String, String> = "Attributes",
    }
);

lenient_request!(
    /// `GetTopicAttributes`, `DeleteTopic` and `ListSubscriptionsByTopic`.
    TopicArnRequest {
        /// The topic.
        topic_arn: String = "TopicArn",
        /// The token of the previous page (`ListSubscriptionsByTopic`).
        next_token: String = "NextToken",
    }
);

lenient_request!(
    /// `SetTopicAttributes`.
    SetTopicAttributesRequest {
        /// The topic.
        topic_arn: String = "TopicArn",
        /// The attribute to set.
        attribute_name: String = "AttributeName",
        /// Its new value (absent or empty: removed).
        attribute_value: String = "AttributeValue",
    }
);

lenient_request!(
    /// `ListTopics` and `ListSubscriptions`.
    ListRequest {
        /// The token of the previous page.
        next_token: String = "NextToken",
    }
);

lenient_request!(
    /// `Subscribe`.
    SubscribeRequest {
        /// The topic.
        topic_arn: String = "TopicArn",
        /// `sqs`, `email`, `https`, `lambda`, …
        protocol: String = "Protocol",
        /// For `sqs`, the queue's ARN.
        endpoint: String = "Endpoint",
        /// Subscription attributes (`RawMessageDelivery`, …).
        attributes: BTreeMap<String, String> = "Attributes",
        /// Return the ARN even while the subscription waits for confirmation.
        return_subscription_arn: bool = "ReturnSubscriptionArn",
    }
);

lenient_request!(
    /// `Unsubscribe`.
    UnsubscribeRequest {
        /// The subscription.
        subscription_arn: String = "SubscriptionArn",
    }
);

lenient_request!(
    /// `Publish`.
    PublishRequest {
        /// The topic.
        topic_arn: String = "TopicArn",
        /// The topic (or a mobile endpoint) as `TargetArn`.
        target_arn: String = "TargetArn",
        /// An SMS number (not modelled).
        phone_number: String = "PhoneNumber",
        /// The message (up to 256 KB).
        message: String = "Message",
        /// The email subject.
        subject: String = "Subject",
        /// `json` for one message per protocol (not modelled beyond being accepted).
        message_structure: String = "MessageStructure",
    }
);

/// An answer without members.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyResponse {}

/// `CreateTopic`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TopicArnResponse {
    /// The topic's ARN.
    pub topic_arn: String,
}

/// `GetTopicAttributes`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributesResponse {
    /// The topic's attributes.
    pub attributes: BTreeMap<String, String>,
}

/// `ListTopics`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTopicsResponse {
    /// The topics.
    pub topics: Vec<TopicArnResponse>,
}

/// One subscription as the list operations show it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subscription {
    /// Its ARN (`PendingConfirmation` until confirmed).
    pub subscription_arn: String,
    /// The subscriber's account.
    pub owner: String,
    /// The protocol.
    pub protocol: String,
    /// The endpoint.
    pub endpoint: String,
    /// The topic.
    pub topic_arn: String,
}

/// `ListSubscriptions` and `ListSubscriptionsByTopic`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListSubscriptionsResponse {
    /// The subscriptions.
    pub subscriptions: Vec<Subscription>,
}

/// `Subscribe`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubscribeResponse {
    /// The subscription's ARN, or `pending confirmation`.
    pub subscription_arn: String,
}

/// `Publish`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PublishResponse {
    /// The message's id.
    pub message_id: String,
}

operations!(SnsRequest / SnsResponse, sns -> SnsClient for crate::sns::Sns {
    create_topic: CreateTopic(CreateTopicRequest) -> TopicArnResponse,
    get_topic_attributes: GetTopicAttributes(TopicArnRequest) -> AttributesResponse,
    set_topic_attributes: SetTopicAttributes(SetTopicAttributesRequest) -> EmptyResponse,
    list_topics: ListTopics(ListRequest) -> ListTopicsResponse,
    delete_topic: DeleteTopic(TopicArnRequest) -> EmptyResponse,
    subscribe: Subscribe(SubscribeRequest) -> SubscribeResponse,
    list_subscriptions: ListSubscriptions(ListRequest) -> ListSubscriptionsResponse,
    list_subscriptions_by_topic: ListSubscriptionsByTopic(TopicArnRequest) -> ListSubscriptionsResponse,
    unsubscribe: Unsubscribe(UnsubscribeRequest) -> EmptyResponse,
    publish: Publish(PublishRequest) -> PublishResponse,
});
