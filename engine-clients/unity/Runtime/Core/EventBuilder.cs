#nullable enable
using System;
using System.Collections.Generic;
using Google.Protobuf.WellKnownTypes;
using Vitrine.V1;

namespace Vitrine.Client
{
    /// <summary>
    /// Makes telemetry events for one player's session: each gets a fresh client-made
    /// <c>event_id</c> (a GUID, so a retried batch is stored once) and the client time now.
    /// </summary>
    public sealed class EventBuilder
    {
        private readonly Func<DateTimeOffset> _clock;

        /// <param name="playerId">The game's pseudonymous player id, 1..128 characters.</param>
        /// <param name="sessionId">The play session; <see cref="NewSessionId"/> makes one.</param>
        /// <param name="sceneId">The scene the player is in, an existing scene id.</param>
        /// <param name="clock">The source of client time; tests pass a fixed one.</param>
        public EventBuilder(string playerId, string sessionId, string sceneId = "", Func<DateTimeOffset>? clock = null)
        {
            if (string.IsNullOrEmpty(playerId))
            {
                throw new ArgumentException("a player id is required", nameof(playerId));
            }

            if (string.IsNullOrEmpty(sessionId))
            {
                throw new ArgumentException("a session id is required", nameof(sessionId));
            }

            PlayerId = playerId;
            SessionId = sessionId;
            SceneId = sceneId;
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>The player every event is about.</summary>
        public string PlayerId { get; }

        /// <summary>The session every event belongs to.</summary>
        public string SessionId { get; }

        /// <summary>The scene stamped on the next events; change it when the player changes scene.</summary>
        public string SceneId { get; set; }

        /// <summary>A new unique id, 32 hex characters, valid as an event or session id.</summary>
        public static string NewId() => Guid.NewGuid().ToString("N");

        /// <summary>A new session id.</summary>
        public static string NewSessionId() => NewId();

        /// <summary>The session started.</summary>
        public Event NewSessionStarted(SessionStarted sessionStarted)
        {
            Event result = NewEvent();
            result.SessionStarted = sessionStarted;
            return result;
        }

        /// <summary>The session ended after <paramref name="durationMs"/> milliseconds.</summary>
        public Event NewSessionEnded(long durationMs)
        {
            Event result = NewEvent();
            result.SessionEnded = new SessionEnded { DurationMs = durationMs };
            return result;
        }

        /// <summary>The player entered a zone.</summary>
        public Event NewZoneEntered(string zoneId, Vector3? position = null)
        {
            Event result = NewEvent();
            result.ZoneEntered = new ZoneEntered { ZoneId = zoneId, Position = position };
            return result;
        }

        /// <summary>The player left a zone after <paramref name="dwellMs"/> milliseconds.</summary>
        public Event NewZoneExited(string zoneId, long dwellMs, Vector3? position = null)
        {
            Event result = NewEvent();
            result.ZoneExited = new ZoneExited { ZoneId = zoneId, DwellMs = dwellMs, Position = position };
            return result;
        }

        /// <summary>A placement was on screen; <see cref="ExposureTracker.ToExposure"/> makes the payload.</summary>
        public Event NewExposure(PlacementExposure exposure)
        {
            Event result = NewEvent();
            result.Exposure = exposure;
            return result;
        }

        /// <summary>The player interacted with a placement's item.</summary>
        public Event NewInteraction(
            string placementId,
            string itemId,
            InteractionKind kind,
            string decisionId = "",
            string creativeId = "",
            long durationMs = 0)
        {
            Event result = NewEvent();
            result.Interaction = new Interaction
            {
                PlacementId = placementId,
                ItemId = itemId,
                Kind = kind,
                DecisionId = decisionId,
                CreativeId = creativeId,
                DurationMs = durationMs,
            };
            return result;
        }

        /// <summary>The player converted on an item.</summary>
        public Event NewConversion(
            string itemId,
            ConversionKind kind,
            double value = 0,
            string currency = "",
            string placementId = "",
            string decisionId = "")
        {
            Event result = NewEvent();
            result.Conversion = new Conversion
            {
                ItemId = itemId,
                Kind = kind,
                Value = value,
                Currency = currency,
                PlacementId = placementId,
                DecisionId = decisionId,
            };
            return result;
        }

        /// <summary>The player rated an item from 1 to 5 stars.</summary>
        public Event NewRating(string itemId, uint stars, string placementId = "", string decisionId = "")
        {
            Event result = NewEvent();
            result.Feedback = new Feedback
            {
                ItemId = itemId,
                Rating = stars,
                PlacementId = placementId,
                DecisionId = decisionId,
            };
            return result;
        }

        /// <summary>The player liked or disliked an item.</summary>
        public Event NewSentiment(string itemId, Sentiment sentiment, string placementId = "", string decisionId = "")
        {
            Event result = NewEvent();
            result.Feedback = new Feedback
            {
                ItemId = itemId,
                Sentiment = sentiment,
                PlacementId = placementId,
                DecisionId = decisionId,
            };
            return result;
        }

        /// <summary>A game-defined event with typed properties.</summary>
        public Event NewCustom(string name, IDictionary<string, PropertyValue>? properties = null)
        {
            var custom = new CustomEvent { Name = name };
            if (properties != null)
            {
                custom.Properties.Add(properties);
            }

            Event result = NewEvent();
            result.Custom = custom;
            return result;
        }

        private Event NewEvent()
        {
            return new Event
            {
                EventId = NewId(),
                PlayerId = PlayerId,
                SessionId = SessionId,
                SceneId = SceneId,
                ClientTime = Timestamp.FromDateTimeOffset(_clock()),
            };
        }
    }
}
